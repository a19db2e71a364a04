from django.urls import path

from users import views

urlpatterns = [
    path("company/", views.company_settings, name="company-settings"),
    path("user/", views.user_settings, name="user-settings"),
    path("user/services/", views.user_services, name="user-services"),
    path(
        "user/services/mobile/register/",
        views.user_services_register,
        name="user-services-register",
    ),
    path(
        "user/services/phones/<int:pk>/sign-out/",
        views.user_services_phone_revoke,
        name="user-services-phone-revoke",
    ),
    path(
        "user/services/mobile/deactivate/",
        views.user_services_deactivate,
        name="user-services-deactivate",
    ),
    path("security/users/", views.user_administration, name="user-administration"),
    path("security/users/new/", views.user_create, name="user-create"),
    path("security/users/<int:pk>/", views.user_edit, name="user-edit"),
    path(
        "security/users/<int:pk>/mobile/register/",
        views.user_mobile_register,
        name="user-mobile-register",
    ),
    path(
        "security/users/<int:pk>/mobile/deactivate/",
        views.user_mobile_deactivate,
        name="user-mobile-deactivate",
    ),
    path("security/access-profiles/", views.access_profiles, name="access-profiles"),
    path(
        "security/access-profiles/new/",
        views.access_profile_create,
        name="access-profile-create",
    ),
    path(
        "security/access-profiles/<int:pk>/",
        views.access_profile_edit,
        name="access-profile-edit",
    ),
    path(
        "security/access-profiles/<int:pk>/delete/",
        views.access_profile_delete,
        name="access-profile-delete",
    ),
]
