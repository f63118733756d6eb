"""An installed app with a demo module, listed before governance to test load_demo's order."""
