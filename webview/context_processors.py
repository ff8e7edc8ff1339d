from cybersecurity.permissions import Right, rights_of
from webview.navigation import MENUS


def shell(request) -> dict:
    """What the page frame needs: the menus and which icons this profile sees."""
    rights = rights_of(getattr(request, "user", None))
    return {
        "menus": MENUS,
        "can_open_settings": Right.SETTINGS in rights,
        "can_view_data": Right.VIEW_DATA in rights,
    }
