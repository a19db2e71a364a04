from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.utils.translation import gettext_lazy as _

from users.models import AccessProfile, Employee, User
from users.selectors import (
    access_profile_list,
    employees_linkable,
    profile_function_choices,
)

NEW_EMPLOYEE = "new"


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in with the e-mail address, labelled as in the business software."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "The email address or password is not correct. The password is "
            "case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class EmployeeChoiceField(forms.ChoiceField):
    """Lists the employees not linked yet, but accepts any employee, so that one
    linked meanwhile gets the service's clear message rather than "not a choice"."""

    def valid_value(self, value: str) -> bool:
        if value in ("", NEW_EMPLOYEE):
            return True
        return value.isdigit() and Employee.objects.filter(pk=value).exists()


class AccessProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AccessProfile) -> str:
        return str(obj.label)


class UserForm(forms.Form):
    """The user's edit page, in the order of the source's steps."""

    employee = EmployeeChoiceField(label=_("Employee"), required=False)
    employee_name = forms.CharField(
        label=_("Name of the new employee"), max_length=200, required=False
    )
    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=20,
        required=False,
        help_text=_("Leave empty for the next free number."),
    )
    employee_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter the email address."),
            "invalid": _("Enter a valid email address, such as name@example.com."),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    access_profile = AccessProfileChoiceField(
        label=_("Access profile"),
        queryset=AccessProfile.objects.none(),
        required=False,
        empty_label=_("(no access profile)"),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def __init__(self, *args, actor: User, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].choices = [
            ("", _("(no employee)")),
            *(
                (str(employee.pk), str(employee))
                for employee in employees_linkable(user=user)
            ),
            (NEW_EMPLOYEE, _("Register employee")),
        ]
        self.fields["access_profile"].queryset = access_profile_list()
        self.fields["password"].help_text = (
            _("Leave empty to keep the current password.")
            if user is not None and user.has_usable_password()
            else _("Without a password the user cannot sign in.")
        )
        if user is not None and (user.pk == actor.pk or user.is_superuser):
            self.fields["access_profile"].disabled = True
            self.fields["access_profile"].help_text = (
                _("The superuser has every function.")
                if user.is_superuser
                else _("Nobody can change his own access profile.")
            )
        if user is not None and user.pk == actor.pk:
            self.fields["is_active"].disabled = True

    @property
    def registers_employee(self) -> bool:
        return self.data.get(self.add_prefix("employee")) == NEW_EMPLOYEE

    def chosen_employee(self) -> Employee | None:
        value = self.cleaned_data.get("employee")
        if value in ("", NEW_EMPLOYEE, None):
            return None
        return Employee.objects.get(pk=value)


class AccessProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    functions = forms.MultipleChoiceField(
        label=_("Functions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args, read_only: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["functions"].choices = [
            (function, label) for function, label, _help in profile_function_choices()
        ]
        if read_only:
            for field in self.fields.values():
                field.disabled = True
