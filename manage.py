#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webview.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as error:
        # Every command: Redis or the database not running ends in one line that says what to
        # do, not a traceback (DESIGN.md "Public contract" › Commands); --traceback shows it.
        from webview.unavailable_services import EXIT_STATUS, unavailable_service

        reason = None if "--traceback" in sys.argv else unavailable_service(error)
        if reason is None:
            raise
        sys.stderr.write(reason + "\n")
        sys.exit(EXIT_STATUS)


if __name__ == "__main__":
    main()
