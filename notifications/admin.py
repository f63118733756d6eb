"""Subscriptions in the admin: staff see who is subscribed and what was sent, change a
subscription's choices or remove it (through the services); nobody adds one here, since an
address subscribes itself by confirming."""

from django.contrib import admin

from governance.admin import RefusingAdmin
from notifications import services
from notifications.models import Notice, Subscription


class NoticeInline(admin.TabularInline):
    model = Notice
    fields = ("kind", "original_date", "lead_minutes", "status", "due_at", "attempts", "sent_at")
    readonly_fields = fields
    ordering = ["-due_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(RefusingAdmin):
    list_display = ["email", "target_name", "confirmed_at", "disabled_at", "failures"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "group"]
    search_fields = ["email", "meeting__title", "group__name"]
    list_select_related = ["meeting", "group"]
    readonly_fields = [
        "email",
        "user",
        "meeting",
        "group",
        "confirmed_at",
        "disabled_at",
        "failures",
    ]
    fields = [*readonly_fields, *services.CHOICE_FIELDS]
    inlines = [NoticeInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.subscription_update(
            subscription=Subscription.objects.get(pk=obj.pk),
            **{name: form.cleaned_data[name] for name in services.CHOICE_FIELDS},
        )

    def delete_model(self, request, obj):
        services.subscription_delete(subscription=obj)

    def delete_queryset(self, request, queryset):
        for subscription in queryset:
            services.subscription_delete(subscription=subscription)
