"""The admin of elections: staff create one and set its timeline in its own zone; everything
after (candidates, exceptions, ballots, certification) happens on the election's pages."""

from django.contrib import admin

from governance.admin import HistoryAdmin
from governance.elections import services
from governance.elections.forms import ElectionAdminForm
from governance.elections.models import Election


@admin.register(Election)
class ElectionAdmin(HistoryAdmin):
    form = ElectionAdminForm
    list_display = ["title", "group", "seats", "voting_close", "certified_at"]
    list_select_related = ["group"]
    search_fields = ["title", "slug", "group__name"]
    autocomplete_fields = ["group", "officers"]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        officers = data.pop("officers")
        if change:
            stored = Election.objects.get(pk=obj.pk)
            changed = {name: data[name] for name in form.changed_data if name in data}
            services.election_update(election=stored, officers=officers, **changed)
        else:
            stored = services.election_create(officers=officers, **data)
        obj.pk = stored.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """The services set the officers with the record."""

    def delete_model(self, request, obj):
        services.election_delete(election=obj)

    def delete_queryset(self, request, queryset):
        for election in queryset:
            services.election_delete(election=election)
