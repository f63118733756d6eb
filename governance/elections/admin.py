"""The admin of elections: staff create one and set its timeline in its own zone; everything
after (candidates, exceptions, ballots, certification) happens on the election's pages."""

from django.contrib import admin

from governance.admin import ServiceAdmin, Writes
from governance.elections import services
from governance.elections.forms import ElectionAdminForm
from governance.elections.models import Election


@admin.register(Election)
class ElectionAdmin(ServiceAdmin):
    form = ElectionAdminForm
    list_display = ["title", "group", "seats", "voting_close", "certified_at"]
    list_select_related = ["group"]
    search_fields = ["title", "slug", "group__name"]
    autocomplete_fields = ["group", "officers"]
    prepopulated_fields = {"slug": ["title"]}

    model_writes = {
        Election: Writes(
            "election",
            services.election_create,
            services.election_update,
            services.election_delete,
        )
    }
