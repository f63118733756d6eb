"""Reads shared by governance pages and the API, with a fixed number of queries."""
