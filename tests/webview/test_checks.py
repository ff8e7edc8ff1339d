"""The device catalogue is checked by a Django system check at start (devices/catalogue/loader.py:
a bad file stops the gateway with the file and entry at fault), as the run command's start-up
commands run the system checks."""

from django.core import checks
from django.core.management import call_command

from devices.catalogue.loader import CATALOGUE_DIR
from webview.checks import catalogue_errors, catalogue_valid

BAD_FAMILY = ("family: bad\nlabel: Bad\nsources: [here]\nregister_maps:\n  m:\n    registers:\n"
              "      - {code: NOPE, address: 1, type: u16}\nreferences:\n  - {reference: X-1, register_map: m}\n")


def test_the_catalogue_check_is_registered():
    assert catalogue_valid in checks.registry.registry.get_checks()


def test_the_shipped_catalogue_passes():
    assert catalogue_errors() == []
    call_command("check", "--fail-level", "ERROR")  # raises SystemCheckError on any error


def test_a_bad_catalogue_file_is_an_error_naming_its_place(tmp_path):
    (tmp_path / "quantities.yaml").write_text((CATALOGUE_DIR / "quantities.yaml").read_text())
    (tmp_path / "bad.yaml").write_text(BAD_FAMILY)
    [error] = catalogue_errors(tmp_path)
    assert error.id == "webview.E002"
    assert error.level == checks.ERROR
    assert "bad.yaml map m register NOPE@1: unknown quantity code NOPE" in error.msg


def test_a_malformed_catalogue_file_is_an_error_too(tmp_path):
    (tmp_path / "quantities.yaml").write_text((CATALOGUE_DIR / "quantities.yaml").read_text())
    (tmp_path / "broken.yaml").write_text("family: broken\nlabel: [unclosed\n")
    [error] = catalogue_errors(tmp_path)
    assert error.id == "webview.E002"
    assert "ScannerError" in error.msg or "ParserError" in error.msg
