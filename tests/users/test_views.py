"""The pages of user administration, mobile registration and access profiles, in
Dutch, through Django's test client."""

import re

import pytest
from django.urls import reverse

from users.models import AuditEvent, Employee, ScannerFunction, User
from users.selectors import (
    access_profile_functions,
    mobile_registration_active,
    user_access_profile,
)
from users.services import mobile_user_register

from .factories import (
    PASSWORD,
    EmployeeFactory,
    UserFactory,
    mobile_ready_user,
    profile_with,
    system_profile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _form_data(user: User | None = None, **overrides) -> dict:
    data = {
        "employee": str(user.employee_id or "") if user else "",
        "email": user.email if user else "",
        "password": "",
        "access_profile": "",
        "is_active": "on",
        "first_name": "",
        "last_name": "",
    }
    if user is not None:
        profile = user_access_profile(user)
        data["access_profile"] = str(profile.pk) if profile else ""
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Gebruikersadministratie ----------------------------------------------------------


def test_user_list_shows_name_email_employee_profile_and_mobile_status(
    admin_client, superuser, active_scanner
):
    registered = mobile_ready_user(email="anna@example.com", first_name="Anna")
    mobile_user_register(actor=superuser, user=registered)
    UserFactory(email="bram@example.com", first_name="Bram")

    text = admin_client.get(reverse("user-administration")).text

    for heading in [
        "Naam",
        "E-mailadres",
        "Medewerker",
        "Toegangsprofiel",
        "Mobiele gebruiker",
    ]:
        assert f">{heading}</th>" in text
    assert "anna@example.com" in text and "bram@example.com" in text
    assert str(registered.employee) in text
    assert ">Medewerker<" in text  # Anna's system profile, by its Dutch label
    assert "Geregistreerd sinds" in text
    assert "Niet geregistreerd" in text
    assert ">Supergebruiker<" in text
    assert text.count(">Bewerken</a>") == 3
    assert "Nieuwe gebruiker" in text


def test_user_list_search_finds_by_email_name_or_employee(admin_client):
    UserFactory(email="anna@example.com", employee=EmployeeFactory(name="Anna Smit"))
    UserFactory(email="bram@example.com")

    by_employee = admin_client.get(reverse("user-administration"), {"q": "smit"}).text
    by_email = admin_client.get(reverse("user-administration"), {"q": "BRAM"}).text
    nothing = admin_client.get(reverse("user-administration"), {"q": "zzz"}).text

    assert "anna@example.com" in by_employee and "bram@example.com" not in by_employee
    assert "bram@example.com" in by_email and "anna@example.com" not in by_email
    assert "Geen gebruiker gevonden." in nothing


def test_user_with_register_function_sees_the_list_without_new_user(client):
    user = UserFactory()
    user.groups.add(profile_with(ScannerFunction.REGISTER_MOBILE_USERS).group)
    client.force_login(user)

    text = client.get(reverse("user-administration")).text

    assert "Gebruikersadministratie" in text
    assert "Nieuwe gebruiker" not in text


# --- The edit page --------------------------------------------------------------------


def test_edit_page_lists_unlinked_employees_and_register_employee(admin_client):
    linked = EmployeeFactory(name="Gekoppeld")
    UserFactory(employee=linked)
    free = EmployeeFactory(name="Vrij")
    user = UserFactory()

    response = admin_client.get(reverse("user-edit", args=[user.pk]))

    choices = dict(response.context["form"].fields["employee"].choices)
    assert str(free.pk) in choices
    assert str(linked.pk) not in choices
    assert choices["new"] == "Medewerker registreren"
    text = response.text
    for label in ["Medewerker", "E-mailadres", "Wachtwoord", "Toegangsprofiel"]:
        assert f">{label}:</label>" in text, label
    assert ">Opslaan</button>" in text
    # Without JavaScript the new employee's fields are simply there.
    assert 'name="employee_name"' in text
    assert "Registreer mobiele gebruiker" in text
    assert ">Registreren</button>" in text


def test_edit_page_keeps_the_users_own_employee_in_the_list(admin_client):
    user = UserFactory(employee=EmployeeFactory())

    response = admin_client.get(reverse("user-edit", args=[user.pk]))

    assert str(user.employee_id) in dict(
        response.context["form"].fields["employee"].choices
    )


def test_new_user_linked_to_an_employee_registered_right_there(admin_client):
    response = admin_client.post(
        reverse("user-create"),
        _form_data(
            employee="new",
            employee_name="Fleur de Boer",
            employee_number="",
            employee_phone="06-1234",
            email="fleur@example.com",
            password=PASSWORD,
            access_profile=str(system_profile("employee").pk),
        ),
        follow=True,
    )

    user = User.objects.get(email="fleur@example.com")
    assert response.redirect_chain[-1][0] == reverse("user-edit", args=[user.pk])
    assert "De gebruiker fleur@example.com is opgeslagen." in _messages(response)
    assert user.employee.name == "Fleur de Boer"
    assert user.employee.phone == "06-1234"
    assert user.check_password(PASSWORD)
    assert user_access_profile(user) == system_profile("employee")


def test_invalid_email_gets_a_clear_dutch_message(admin_client):
    response = admin_client.post(reverse("user-create"), _form_data(email="geen-adres"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Voer een geldig e-mailadres in, zoals naam@example.com."
    ]


def test_duplicate_email_gets_a_clear_dutch_message(admin_client):
    UserFactory(email="bezet@example.com")

    response = admin_client.post(
        reverse("user-create"), _form_data(email="Bezet@Example.com")
    )

    assert response.context["form"].errors["email"] == [
        "Een andere gebruiker heeft dit e-mailadres al."
    ]
    assert User.objects.filter(email__iexact="bezet@example.com").count() == 1


def test_weak_password_gets_djangos_dutch_messages(admin_client):
    user = UserFactory()

    response = admin_client.post(
        reverse("user-edit", args=[user.pk]), _form_data(user, password="1234")
    )

    errors = " ".join(response.context["form"].errors["password"])
    assert "te kort" in errors
    assert "bevat alleen cijfers" in errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_employee_linked_meanwhile_gets_a_clear_dutch_message(admin_client):
    employee = EmployeeFactory()
    UserFactory(email="eerder@example.com", employee=employee)
    user = UserFactory()

    response = admin_client.post(
        reverse("user-edit", args=[user.pk]),
        _form_data(user, employee=str(employee.pk)),
    )

    assert response.context["form"].errors["employee"] == [
        "Deze medewerker is al gekoppeld aan de gebruiker eerder@example.com."
    ]


def test_register_employee_without_a_name_asks_for_it(admin_client):
    response = admin_client.post(
        reverse("user-create"),
        _form_data(employee="new", employee_name="", email="x@example.com"),
    )

    assert response.context["form"].errors["employee_name"] == [
        "Voer de naam van de nieuwe medewerker in."
    ]
    assert not Employee.objects.exists()


def test_superuser_cannot_change_his_own_profile_or_deactivate_himself(
    admin_client, superuser
):
    form = admin_client.get(reverse("user-edit", args=[superuser.pk])).context["form"]

    assert form.fields["access_profile"].disabled
    assert form.fields["is_active"].disabled


def test_register_function_without_superuser_sees_the_user_read_only(client):
    actor = UserFactory()
    actor.groups.add(profile_with(ScannerFunction.REGISTER_MOBILE_USERS).group)
    target = mobile_ready_user()
    client.force_login(actor)

    text = client.get(reverse("user-edit", args=[target.pk])).text

    assert "Alleen de supergebruiker wijzigt gebruikers." in text
    assert ">Opslaan</button>" not in text
    assert ">Registreren</button>" in text


# --- Registering and deactivating from the edit page ---------------------------------


def test_register_asks_for_confirmation_then_registers(admin_client, active_scanner):
    user = mobile_ready_user()
    url = reverse("user-mobile-register", args=[user.pk])

    confirm = admin_client.get(url)

    assert confirm.status_code == 200
    assert ">Bevestigen</button>" in confirm.text
    assert ">Annuleren</a>" in confirm.text
    assert mobile_registration_active(user) is None

    done = admin_client.post(url, follow=True)

    assert mobile_registration_active(user) is not None
    assert f"{user.email} is geregistreerd als mobiele gebruiker." in _messages(done)
    assert "Geregistreerd sinds" in done.text
    assert "Deactiveer mobiele gebruiker" in done.text
    assert ">Deactiveren</button>" in done.text


def test_confirmation_page_lists_each_unmet_precondition_in_dutch(admin_client):
    user = UserFactory()

    text = admin_client.get(reverse("user-mobile-register", args=[user.pk])).text

    assert "kan nog niet worden geregistreerd" in text
    assert "De service Visma Mobile Scanner is niet actief." in text
    assert "De gebruiker is niet aan een medewerker gekoppeld." in text
    assert "bevat geen &quot;Toegang tot Visma Mobile Scanner&quot;" in text
    assert ">Bevestigen</button>" not in text


def test_posting_despite_unmet_preconditions_shows_each_as_a_message(admin_client):
    user = UserFactory()

    response = admin_client.post(
        reverse("user-mobile-register", args=[user.pk]), follow=True
    )

    assert len(_messages(response)) == 3
    assert mobile_registration_active(user) is None


def test_deactivate_asks_for_confirmation_then_deactivates(
    admin_client, superuser, active_scanner
):
    user = mobile_ready_user()
    mobile_user_register(actor=superuser, user=user)
    url = reverse("user-mobile-deactivate", args=[user.pk])

    assert ">Bevestigen</button>" in admin_client.get(url).text
    assert mobile_registration_active(user) is not None

    done = admin_client.post(url, follow=True)

    assert mobile_registration_active(user) is None
    assert f"{user.email} is geen mobiele gebruiker meer." in _messages(done)
    assert ">Registreren</button>" in done.text


# --- Diensten -------------------------------------------------------------------------


def test_services_tab_registers_oneself_after_confirmation(client, active_scanner):
    user = mobile_ready_user()
    client.force_login(user)

    page = client.get(reverse("user-services")).text
    assert ">Diensten</a>" in page
    assert "Registreer mobiele gebruiker" in page

    confirm = client.get(reverse("user-services-register")).text
    assert "Uzelf registreren als mobiele gebruiker" in confirm

    done = client.post(reverse("user-services-register"), follow=True)
    assert done.redirect_chain[-1][0] == reverse("user-services")
    assert "Geregistreerd sinds" in done.text
    assert AuditEvent.objects.get().actor == user


def test_services_tab_tells_the_user_whom_to_ask(client):
    user = UserFactory()
    client.force_login(user)

    text = client.get(reverse("user-services-register")).text

    assert "U kunt nog niet worden geregistreerd" in text
    assert "Vraag uw beheerder" in text


def test_settings_page_has_the_services_tab(client, plain_user):
    client.force_login(plain_user)

    text = client.get(reverse("user-settings")).text

    assert re.search(r'href="/settings/user/services/"[^>]*>Diensten</a>', text)


# --- Toegangsprofielen ----------------------------------------------------------------


def test_access_profiles_page_shows_system_profiles_read_only(admin_client):
    custom = profile_with(ScannerFunction.USE, name="Scanners")

    text = admin_client.get(reverse("access-profiles")).text

    for name in ["Beheerder", "Boekhouder", "Medewerker", "Scanners"]:
        assert f">{name}</th>" in text
    assert text.count("Systeemprofiel") >= 3
    assert "Aangepast toegangsprofiel" in text
    for label in [
        "Toegang tot Visma Mobile Scanner",
        "Bijlagen van Visma Mobile Scanner bekijken",
        "Bijlagen koppelen en verwijderen",
        "Mobiele gebruikers registreren",
        "Integraties beheren",
    ]:
        assert label in text
    edit_links = re.findall(r'/access-profiles/(\d+)/">Bewerken<', text)
    assert edit_links == [str(custom.pk)]


def test_system_profile_opens_read_only_and_refuses_changes(admin_client):
    profile = system_profile("employee")
    url = reverse("access-profile-edit", args=[profile.pk])

    text = admin_client.get(url).text
    assert "Dit is een systeemprofiel" in text
    assert ">Opslaan</button>" not in text

    response = admin_client.post(
        url,
        {"name": "Medewerker", "functions": [ScannerFunction.MANAGE_INTEGRATIONS]},
        follow=True,
    )
    assert "Systeemprofielen kunnen niet worden gewijzigd." in " ".join(
        _messages(response)
    )
    assert access_profile_functions(profile) == {ScannerFunction.USE}


def test_copying_a_system_profile_prefills_name_and_functions(admin_client):
    source = system_profile("bookkeeper")

    response = admin_client.get(reverse("access-profile-create"), {"copy": source.pk})

    assert response.context["form"].initial["name"] == "Kopie van Boekhouder"
    assert response.context["selected"] == access_profile_functions(source)


def test_superuser_creates_and_edits_a_custom_profile(admin_client):
    admin_client.post(
        reverse("access-profile-create"),
        {
            "name": "Scanners",
            "functions": [ScannerFunction.USE, ScannerFunction.VIEW_ATTACHMENTS],
        },
    )
    profile = system_profile("employee").__class__.objects.get(group__name="Scanners")

    response = admin_client.post(
        reverse("access-profile-edit", args=[profile.pk]),
        {"name": "Scanners", "functions": [ScannerFunction.USE]},
        follow=True,
    )

    assert "Het toegangsprofiel Scanners is opgeslagen." in _messages(response)
    assert access_profile_functions(profile) == {ScannerFunction.USE}


def test_deleting_a_custom_profile_asks_for_confirmation(admin_client):
    profile = profile_with(ScannerFunction.USE, name="Weg")
    url = reverse("access-profile-delete", args=[profile.pk])

    assert ">Bevestigen</button>" in admin_client.get(url).text

    admin_client.post(url)

    assert not profile.__class__.objects.filter(pk=profile.pk).exists()


def test_menu_shows_user_administration_to_register_function_only(client):
    user = UserFactory()
    user.groups.add(profile_with(ScannerFunction.REGISTER_MOBILE_USERS).group)
    client.force_login(user)

    text = client.get(reverse("home")).text

    assert ">Gebruikersadministratie<" in text
    assert ">Toegangsprofielen<" not in text


def test_edit_page_shows_the_users_history(admin_client, superuser, active_scanner):
    user = mobile_ready_user()
    mobile_user_register(actor=superuser, user=user)

    text = admin_client.get(reverse("user-edit", args=[user.pk])).text

    assert "Geschiedenis" in text
    assert "Geregistreerd als mobiele gebruiker" in text


def test_superuser_changing_his_own_password_stays_signed_in(admin_client, superuser):
    admin_client.post(
        reverse("user-edit", args=[superuser.pk]),
        _form_data(superuser, password="Nieuw-Lang-Wachtwoord-77"),
    )

    superuser.refresh_from_db()
    assert superuser.check_password("Nieuw-Lang-Wachtwoord-77")
    assert admin_client.get(reverse("user-administration")).status_code == 200


def test_pages_speak_english_to_an_english_browser(client, superuser, active_scanner):
    client.force_login(superuser)
    user = mobile_ready_user()
    english = {"headers": {"accept-language": "en-GB,en"}}

    edit = client.get(reverse("user-edit", args=[user.pk]), **english).text
    profiles = client.get(reverse("access-profiles"), **english).text

    for label in ["Employee", "Email address", "Password", "Access profile"]:
        assert f">{label}:</label>" in edit, label
    assert ">Save</button>" in edit
    assert "Register mobile user" in edit and ">Register</button>" in edit
    assert ">Bookkeeper</th>" in profiles
    assert "Access to Visma Mobile Scanner" in profiles


def test_saving_an_empty_new_user_form_asks_for_the_email_address(admin_client):
    response = admin_client.post(reverse("user-create"), {})

    assert response.context["form"].errors["email"] == ["Voer het e-mailadres in."]


# --- System profiles under their name in the page's language --------------------------


def test_the_audit_history_names_system_profiles_in_english(admin_client, superuser):
    from users.services import user_save

    user = user_save(
        actor=superuser,
        user=None,
        email="piet@example.com",
        password=PASSWORD,
        access_profile=system_profile("employee"),
    )
    history = AuditEvent.objects.filter(user=user, action="profile_assigned")
    assert history.get().profile_name == "Medewerker"  # as stored: the group's name

    english = admin_client.get(
        reverse("user-edit", args=[user.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).text
    dutch = admin_client.get(
        reverse("user-edit", args=[user.pk]), HTTP_ACCEPT_LANGUAGE="nl"
    ).text

    history_en = english.split('id="audit-heading"', 1)[1]
    assert "<td>Employee</td>" in history_en
    assert "Medewerker" not in history_en
    assert "<td>Medewerker</td>" in dutch.split('id="audit-heading"', 1)[1]


def test_the_user_search_finds_system_profiles_by_their_english_name(admin_client):
    bookkeeper = UserFactory(email="boekhouder@example.com")
    bookkeeper.groups.add(system_profile("bookkeeper").group)
    employee = UserFactory(email="piet@example.com")
    employee.groups.add(system_profile("employee").group)
    url = reverse("user-administration")

    english = admin_client.get(url, {"q": "bookKEEPER"}, HTTP_ACCEPT_LANGUAGE="en").text
    dutch = admin_client.get(url, {"q": "Boekhouder"}, HTTP_ACCEPT_LANGUAGE="nl").text

    assert "boekhouder@example.com" in english
    assert "piet@example.com" not in english
    assert "Bookkeeper" in english
    assert "boekhouder@example.com" in dutch
    assert "piet@example.com" not in dutch
