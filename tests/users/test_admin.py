import pytest
from django.urls import reverse

from users.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "admin:users_user_changelist",
        "admin:users_accessprofile_changelist",
        "admin:users_mobileregistration_changelist",
        "admin:users_auditevent_changelist",
    ],
)
def test_django_admin_lists_answer_for_the_superuser(client, superuser, name):
    client.force_login(superuser)

    assert client.get(reverse(name)).status_code == 200


def test_audit_events_are_read_only_in_the_django_admin(client, superuser):
    event = AuditEvent.objects.create(actor=superuser, actor_email="a", action="x")
    client.force_login(superuser)

    url = reverse("admin:users_auditevent_delete", args=[event.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_user_change_page_shows_the_profile_read_only(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:users_user_change", args=[superuser.pk]))

    assert response.status_code == 200
    assert "groups" not in response.context["adminform"].form.fields
