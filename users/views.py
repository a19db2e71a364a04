"""Browser views of the users app: thin, each calls one service or selector.

Who may call which view is declared with ``@allow`` (see ``users.access``).
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mamut.errors import ApplicationError
from mamut.search import search_term
from receipts.selectors import phone_list
from receipts.services import phone_token_revoke
from users import services
from users.access import SIGNED_IN, SUPERUSER, allow
from users.forms import AccessProfileForm, UserForm
from users.models import AccessProfile, Company, ScannerFunction, User
from users.selectors import (
    access_profile_functions,
    access_profile_list,
    audit_events_for_user,
    mobile_registration_active,
    mobile_registration_problems,
    profile_function_choices,
    profile_function_groups,
    user_access_profile,
    user_list,
)
from users.services import MobileRegistrationRefused, NewEmployee

REGISTER_OTHERS = ScannerFunction.REGISTER_MOBILE_USERS


def _refused(request: HttpRequest, error: ApplicationError) -> None:
    """Show a refusal from a service as messages; a missing right is a 403."""
    if error.status_code == 403:
        raise PermissionDenied(error.message)
    if isinstance(error, MobileRegistrationRefused):
        for problem in error.problems:
            messages.error(request, problem.message)
    else:
        messages.error(request, error.message)


# --- Settings pages -------------------------------------------------------------------


@allow(GET=SIGNED_IN)
def company_settings(request: HttpRequest) -> HttpResponse:
    """Beheer → Instellingen → Administratie: the company's tabbed settings page."""
    return render(
        request,
        "users/company_settings.html",
        {"company": Company.objects.current(), "active_tab": "general"},
    )


@allow(GET=SIGNED_IN)
def user_settings(request: HttpRequest) -> HttpResponse:
    """Beheer → Instellingen → Gebruiker: the signed-in user's own tabbed page."""
    return render(request, "users/user_settings.html", {"active_tab": "general"})


@allow(GET=SIGNED_IN)
def user_services(request: HttpRequest) -> HttpResponse:
    """Gebruiker → tab Diensten: the signed-in user registers or deactivates himself."""
    return render(
        request,
        "users/user_services.html",
        {
            "active_tab": "services",
            "registration": mobile_registration_active(request.user),
            "register_url": reverse("user-services-register"),
            "deactivate_url": reverse("user-services-deactivate"),
            "can_act": True,
            "phones": phone_list(user=request.user),
        },
    )


@allow(GET=SIGNED_IN, POST=SIGNED_IN)
def user_services_phone_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign one of one's own phones out (asks first); it must sign in again."""
    phone = phone_list(user=request.user).filter(pk=pk).first()
    back = reverse("user-services")
    if phone is None:
        messages.info(request, _("This phone is no longer signed in."))
        return redirect(back)
    if request.method == "POST":
        phone_token_revoke(user=request.user, device_id=phone.pk)
        messages.success(
            request,
            _("%(phone)s is signed out. It must sign in again to send documents.")
            % {"phone": phone.name},
        )
        return redirect(back)
    return render(
        request, "users/phone_revoke_confirm.html", {"phone": phone, "back_url": back}
    )


# --- User administration --------------------------------------------------------------


@allow(GET=REGISTER_OTHERS)
def user_administration(request: HttpRequest) -> HttpResponse:
    """Beheer → Instellingen → Beveiliging → Gebruikersadministratie."""
    search = search_term(request.GET.get("q"))
    return render(
        request,
        "users/user_administration.html",
        {"users": user_list(search=search), "search": search},
    )


def _save_user(request: HttpRequest, form: UserForm, user: User | None) -> User | None:
    """Validate the form and save through the service; None when it has errors."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    new_employee = None
    if form.registers_employee:
        new_employee = NewEmployee(
            name=data["employee_name"],
            employee_number=data["employee_number"],
            phone=data["employee_phone"],
        )
    try:
        return services.user_save(
            actor=request.user,
            user=user,
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            employee=form.chosen_employee(),
            new_employee=new_employee,
            access_profile=data["access_profile"],
            is_active=data["is_active"],
        )
    except ApplicationError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from error
        for field, errors in (error.fields or {"__all__": [error.message]}).items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return None


@allow(GET=SUPERUSER, POST=SUPERUSER)
def user_create(request: HttpRequest) -> HttpResponse:
    """The page "Nieuwe gebruiker": the edit page for a user not saved yet."""
    form = UserForm(
        request.POST if request.method == "POST" else None, actor=request.user
    )
    if request.method == "POST":
        user = _save_user(request, form, None)
        if user is not None:
            messages.success(
                request, _("The user %(email)s is saved.") % {"email": user.email}
            )
            return redirect("user-edit", pk=user.pk)
    return render(request, "users/user_edit.html", {"form": form, "target": None})


@allow(GET=REGISTER_OTHERS, POST=SUPERUSER)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The page "Bewerken": the user's data (the superuser changes it) and the mobile
    rows."""
    user = get_object_or_404(User.objects.select_related("employee"), pk=pk)
    profile = user_access_profile(user)
    initial = {
        "employee": str(user.employee_id or ""),
        "email": user.email,
        "access_profile": profile,
        "is_active": user.is_active,
        "first_name": user.first_name,
        "last_name": user.last_name,
    }
    form = UserForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        actor=request.user,
        user=user,
    )
    if request.method == "POST":
        saved = _save_user(request, form, user)
        if saved is not None:
            if saved.pk == request.user.pk and form.cleaned_data["password"]:
                # A new password ends every session; keep this one.
                update_session_auth_hash(request, saved)
            messages.success(
                request, _("The user %(email)s is saved.") % {"email": saved.email}
            )
            return redirect("user-edit", pk=saved.pk)
    return render(
        request,
        "users/user_edit.html",
        {
            "form": form,
            "target": user,
            "profile": profile,
            "can_edit": request.user.is_superuser,
            "audit_events": audit_events_for_user(user),
            "registration": mobile_registration_active(user),
            "register_url": reverse("user-mobile-register", args=[user.pk]),
            "deactivate_url": reverse("user-mobile-deactivate", args=[user.pk]),
            "can_act": True,
        },
    )


# --- Mobile registration: confirmation, then the service ------------------------------


def _mobile_confirm(
    request: HttpRequest, *, user: User, registering: bool, back_url: str
) -> HttpResponse:
    """GET: the confirmation step (or the unmet preconditions); POST: do it."""
    for_self = user.pk == request.user.pk
    if request.method == "POST":
        try:
            if registering:
                services.mobile_user_register(actor=request.user, user=user)
                text = _("%(email)s is registered as a mobile user.")
            else:
                services.mobile_user_deactivate(actor=request.user, user=user)
                text = _("%(email)s is no longer a mobile user.")
            messages.success(request, text % {"email": user.email})
        except ApplicationError as error:
            _refused(request, error)
        return redirect(back_url)
    registration = mobile_registration_active(user)
    problems = []
    if registering and registration is None:
        problems = mobile_registration_problems(user=user, for_self=for_self)
    return render(
        request,
        "users/mobile_confirm.html",
        {
            "target": user,
            "for_self": for_self,
            "registering": registering,
            "registration": registration,
            "problems": problems,
            "back_url": back_url,
        },
    )


@allow(GET=REGISTER_OTHERS, POST=REGISTER_OTHERS)
def user_mobile_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    back = reverse("user-edit", args=[pk])
    return _mobile_confirm(request, user=user, registering=True, back_url=back)


@allow(GET=REGISTER_OTHERS, POST=REGISTER_OTHERS)
def user_mobile_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    back = reverse("user-edit", args=[pk])
    return _mobile_confirm(request, user=user, registering=False, back_url=back)


@allow(GET=SIGNED_IN, POST=SIGNED_IN)
def user_services_register(request: HttpRequest) -> HttpResponse:
    back = reverse("user-services")
    return _mobile_confirm(request, user=request.user, registering=True, back_url=back)


@allow(GET=SIGNED_IN, POST=SIGNED_IN)
def user_services_deactivate(request: HttpRequest) -> HttpResponse:
    back = reverse("user-services")
    return _mobile_confirm(request, user=request.user, registering=False, back_url=back)


# --- Access profiles ------------------------------------------------------------------


@allow(GET=SUPERUSER)
def access_profiles(request: HttpRequest) -> HttpResponse:
    """Beheer → Instellingen → Beveiliging → Toegangsprofielen."""
    profiles = [
        (profile, access_profile_functions(profile), profile.user_count)
        for profile in access_profile_list()
    ]
    return render(
        request,
        "users/access_profiles.html",
        {"profiles": profiles, "functions": profile_function_choices()},
    )


def _profile_page(
    request: HttpRequest,
    form: AccessProfileForm,
    *,
    profile: AccessProfile | None,
    selected: set[str],
) -> HttpResponse:
    return render(
        request,
        "users/access_profile_edit.html",
        {
            "form": form,
            "profile": profile,
            "read_only": profile is not None and profile.is_system,
            "function_groups": profile_function_groups(),
            "selected": selected,
        },
    )


@allow(GET=SUPERUSER, POST=SUPERUSER)
def access_profile_create(request: HttpRequest) -> HttpResponse:
    """A new custom profile, empty or as a copy of ``?copy=<id>``."""
    if request.method == "POST":
        form = AccessProfileForm(request.POST)
        if form.is_valid():
            functions = set(form.cleaned_data["functions"])
            try:
                profile = services.access_profile_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    functions=functions,
                )
            except ApplicationError as error:
                if error.status_code == 403:
                    raise PermissionDenied(error.message) from error
                form.add_error("name" if error.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("The access profile %(name)s is saved.")
                    % {"name": profile.label},
                )
                return redirect("access-profiles")
        return _profile_page(
            request, form, profile=None, selected=set(request.POST.getlist("functions"))
        )
    selected: set[str] = set()
    name = ""
    source_id = request.GET.get("copy", "")
    if source_id.isdigit():
        # Beyond the ids the database holds (or digits other than 0-9): no profile.
        too_big = not source_id.isascii() or int(source_id) > 2**31 - 1
        source = get_object_or_404(AccessProfile, pk=0 if too_big else source_id)
        selected = access_profile_functions(source)
        name = _("Copy of %(name)s") % {"name": source.label}
    form = AccessProfileForm(initial={"name": name, "functions": sorted(selected)})
    return _profile_page(request, form, profile=None, selected=selected)


@allow(GET=SUPERUSER, POST=SUPERUSER)
def access_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A custom profile's name and functions; a system profile, read-only."""
    profile = get_object_or_404(AccessProfile.objects.select_related("group"), pk=pk)
    selected = access_profile_functions(profile)
    if request.method == "POST":
        form = AccessProfileForm(request.POST)
        if form.is_valid():
            try:
                services.access_profile_update(
                    actor=request.user,
                    profile=profile,
                    name=form.cleaned_data["name"],
                    functions=set(form.cleaned_data["functions"]),
                )
            except ApplicationError as error:
                if error.status_code == 403:
                    messages.error(request, error.message)
                    return redirect("access-profile-edit", pk=pk)
                form.add_error("name" if error.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("The access profile %(name)s is saved.")
                    % {"name": profile.label},
                )
                return redirect("access-profiles")
        return _profile_page(
            request,
            form,
            profile=profile,
            selected=set(request.POST.getlist("functions")),
        )
    form = AccessProfileForm(
        initial={"name": profile.label, "functions": sorted(selected)},
        read_only=profile.is_system,
    )
    return _profile_page(request, form, profile=profile, selected=selected)


@allow(GET=SUPERUSER, POST=SUPERUSER)
def access_profile_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks for confirmation, then deletes a custom profile no user has."""
    profile = get_object_or_404(AccessProfile.objects.select_related("group"), pk=pk)
    if request.method == "POST":
        try:
            services.access_profile_delete(actor=request.user, profile=profile)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The access profile %(name)s is deleted.") % {"name": profile.label},
            )
        return redirect("access-profiles")
    return render(request, "users/access_profile_delete.html", {"profile": profile})
