"""A new password signs the user's phones out, whichever way it was set.

Web sessions end on a password change by Django's session hash; phone tokens do not,
so a lost phone or a former colleague's phone would keep uploading. The user's edit
page, the Django admin's password form and ``manage.py changepassword`` all save the
user, so the check sits on that save.
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from users.models import User


@receiver(pre_save, sender=User, dispatch_uid="receipts.password_change_signs_out")
def password_change_signs_phones_out(
    sender, instance: User, raw: bool = False, update_fields=None, **kwargs
) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return  # e.g. last_login on every sign-in
    if getattr(instance, "_password", None) is None and instance.has_usable_password():
        # Not set_password(): the same password stored with a stronger hash when it
        # was checked (Django upgrades the hash at sign-in and clears _password).
        return
    stored = (
        User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    )
    if stored is not None and stored != instance.password:
        from receipts.services import phone_tokens_revoke

        # In the saving transaction (the user's edit page saves atomically), so a
        # refused save keeps the phones signed in.
        phone_tokens_revoke(user=instance)
