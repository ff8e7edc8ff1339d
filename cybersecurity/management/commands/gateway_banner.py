from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cybersecurity.models import Profile
from cybersecurity.profiles import DEFAULT_PASSWORDS, ProfileKind


class Command(BaseCommand):
    help = "Print where the gateway listens and how to sign in."

    def handle(self, *args, **options):
        host, port = settings.LISTEN_HOST, settings.LISTEN_PORT
        lines = [_("WebView is starting at http://%(host)s:%(port)s/") % {"host": host, "port": port},
                 _("Sign in with one of the profiles:")]
        for profile in Profile.objects.all():
            if profile.kind == ProfileKind.USER:
                note = _("no password")
            elif profile.must_change_password or profile.check_password(DEFAULT_PASSWORDS[profile.kind]):
                note = _("factory password %(password)s") % {"password": DEFAULT_PASSWORDS[profile.kind]}
                if profile.must_change_password:
                    note += _(", to be changed at the first sign-in")
            else:
                note = _("its own password")
            if profile.locked:
                note += _(" (locked: Cyber Security unlocks it in Settings › Profiles)")
            lines.append(f"  - {profile}: {note}")
        lines.append(_("Ctrl-C stops every process."))
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
