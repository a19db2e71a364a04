from django.urls import path
from django.utils.translation import gettext_lazy as _

from mamut.views import not_built
from users import views

urlpatterns = [
    path("company/", views.company_settings, name="company-settings"),
    path("user/", views.user_settings, name="user-settings"),
    path(
        "security/users/",
        not_built(_("User administration")),
        name="user-administration",
    ),
    path(
        "security/access-profiles/",
        not_built(_("Access profiles")),
        name="access-profiles",
    ),
]
