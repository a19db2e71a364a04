from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from mamut.admin import ReadOnlyAdmin
from users.forms import UserChangeForm, UserCreationForm
from users.models import (
    AccessProfile,
    AuditEvent,
    Company,
    Employee,
    MobileRegistration,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "employee", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "employee"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    # Access profiles are assigned on the user's edit page, where each change is
    # audited; here they are only shown.
    readonly_fields = ["groups", "last_login", "date_joined"]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "employee_number", "email", "is_active"]
    search_fields = ["name", "email", "employee_number"]


admin.site.register(Company)


@admin.register(AccessProfile)
class AccessProfileAdmin(ReadOnlyAdmin):
    list_display = ["group", "system_key"]


@admin.register(MobileRegistration)
class MobileRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["user", "registered_at", "registered_by", "deactivated_at"]
    list_select_related = ["user", "registered_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_email", "action", "user_email", "profile_name"]
    list_filter = ["action"]
    search_fields = ["actor_email", "user_email", "profile_name"]
