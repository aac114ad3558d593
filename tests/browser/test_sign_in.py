"""Signing in to the inbox in a real browser: forms, errors, the shell, keyboard, small screens."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import (NAME, TEAMS, check_accessibility, has_horizontal_scroll, login,
                                    screenshot)

PHONE = {"width": 360, "height": 740}


def test_the_sign_in_page_is_accessible(page: Page):
    page.goto("/")
    expect(page).to_have_url("/connexion?next=/demandes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    screenshot(page, "connexion-1280")
    check_accessibility(page)


def test_a_wrong_password_says_so_in_french_without_saying_which_field(page: Page):
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill("camille@example.fr")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text("Adresse e-mail ou mot de passe incorrect.")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("camille@example.fr")
    expect(page.get_by_label("Mot de passe")).to_have_value("")
    check_accessibility(page)


def test_signing_in_opens_the_case_list_in_the_inbox_shell(page: Page):
    login(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes")
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text(NAME)
    for team in TEAMS:
        expect(banner.get_by_text(team)).to_be_visible()
    arabic = banner.get_by_text(TEAMS[1])
    assert arabic.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert page.evaluate("() => typeof htmx.ajax") == "function"  # the vendored htmx is served
    navigation = page.get_by_role("navigation", name="Menu principal")
    expect(navigation.get_by_role("link", name="Demandes")).to_have_attribute("aria-current", "page")
    screenshot(page, "demandes-1280")
    check_accessibility(page)


def test_signing_out_ends_the_session(page: Page):
    login(page)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url("/connexion")
    expect(page.get_by_role("status")).to_have_text("Vous êtes déconnecté·e. À bientôt !")
    page.goto("/demandes")
    expect(page).to_have_url("/connexion?next=/demandes")


def test_pages_fit_a_360_pixel_wide_phone(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/connexion")
    assert not has_horizontal_scroll(page)
    screenshot(page, "connexion-360")
    login(page)
    assert not has_horizontal_scroll(page)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_in_viewport()
    screenshot(page, "demandes-360")
    check_accessibility(page)


def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(page: Page):
    for sign_in_first in (False, True):
        login(page) if sign_in_first else page.goto("/connexion")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Aller au contenu")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "contenu"
