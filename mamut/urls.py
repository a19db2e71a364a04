from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mamut import views
from users.forms import EmailAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("settings/company/integration/", include("integrations.urls")),
    path("settings/", include("users.urls")),
    path("voucher-entry/", include("vouchers.urls")),
    path("voucher-entry/attachments/", include("receipts.web_urls")),
    path("api/v1/", include("receipts.urls")),
    path("m/", include("phone.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/v1/docs/",
        # The split view serves its start script as a file (?script): no inline script.
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="api-docs",
    ),
    path("django-admin/", admin.site.urls),
]

handler404 = "mamut.views.page_not_found"
handler500 = "mamut.views.server_error"
