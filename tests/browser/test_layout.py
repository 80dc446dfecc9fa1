"""Wide tables and narrow screens, in a real Chromium: the office's tables show every column at
desktop width, and no page scrolls sideways on a 320 px phone (or at 200% zoom on a laptop).

The rows are made to be wide on purpose: long organisation names and titles, five reviews a
letter, four criteria, decisions, long e-mail subjects and errors, long reasons.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from intents.models import Decision, Extension, Review
from intents.reviewing.figures import refresh_review_figures
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail
from portal.notifications.schedule import ensure_periodic_tasks
from portal.organisations.models import Membership, Role

from ..factories import (
    CriterionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    attach_pdf,
    complete_letter_fields,
)
from ..office.cycle import build_cycle

pytestmark = pytest.mark.browser

DESKTOP, PHONE = 1280, 320
LONG_NAME = "Institut de Recherche en Astrophysique et Planétologie de l'Université Toulouse III"
LONG_TITLE = "Seismometer and heat-flow probe for the permanently shadowed south-polar craters"
# The demo call's modes and rubric (intents/demo.py): six criteria with long names.
MODES = [
    "Launch and operate your own spacecraft within the mission",
    "Spacecraft-to-spacecraft interaction",
    "Joint exploration of the lunar surface",
    "Payload on the lander or rover",
]
CRITERIA = [
    "Scientific and exploration value",
    "Technical feasibility and readiness",
    "Shared costs and resources",
    "Expertise contributed",
    "Visibility and public support",
    "International relations",
]

# Measures a table against the box it sits in, and the page against the window.
MEASURE = """
([selector, names]) => {
  const table = document.querySelector(selector);
  const box = table.closest('.table-responsive') || table.parentElement;
  const edge = box.getBoundingClientRect();
  const headers = [...table.querySelectorAll('thead th')];
  const hidden = names.filter((name) => {
    const header = headers.find((th) => th.textContent.trim().startsWith(name));
    if (!header) return true;
    const place = header.getBoundingClientRect();
    return place.left < edge.left - 1 || place.right > edge.right + 1;
  });
  const page = document.documentElement;
  const widths = headers.map(
    (th) => `${th.textContent.trim().slice(0, 12)}: ${Math.round(th.getBoundingClientRect().width)}`
  );
  return {
    widths,
    table: Math.round(table.getBoundingClientRect().width),
    box: Math.round(box.clientWidth),
    hidden,
    page: page.scrollWidth,
    window: page.clientWidth,
  };
}
"""


@dataclass
class Wide:
    """A page, its table, and the columns an officer must see at desktop width."""

    name: str
    url: str
    table: str
    columns: tuple = ()
    fits_a_phone: bool = False  # reflows instead of scrolling inside its wrapper


@pytest.fixture
def wide(officer):
    """A cycle whose rows are as wide as real ones get, and the pages that show them."""
    officer.is_staff = officer.is_superuser = True  # the schedule's "Edit in the admin" column
    officer.save()
    cycle = build_cycle(letters=8, reviews_per_letter=5, reviewers=6, officer=officer)
    for number, organisation in enumerate(cycle.organisations):
        organisation.legal_name = f"{LONG_NAME} {number}"
        organisation.save()
    for mode, name in zip(cycle.modes, MODES, strict=True):
        mode.name = name
        mode.save()
    for criterion, name in zip(cycle.criteria, CRITERIA, strict=False):
        criterion.name = name
        criterion.save()
    for position, name in enumerate(CRITERIA[len(cycle.criteria) :], start=len(cycle.criteria)):
        CriterionFactory(call=cycle.call, name=name, weight=1, position=position)
    for letter in cycle.letters:
        letter.title = LONG_TITLE
        letter.save()
    # Reviewers who disagree: the widest cell of the score columns, with its badge.
    for index, review in enumerate(cycle.reviews):
        review.total = "1.000" if index % 2 else "5.000"
    Review.objects.bulk_update(cycle.reviews, ["total"])
    with transaction.atomic():
        refresh_review_figures([letter.pk for letter in cycle.letters])
    for letter, outcome in zip(cycle.letters, Decision.Outcome, strict=False):
        Decision.objects.create(letter=letter, outcome=outcome, decided_by=officer)
    letter = cycle.letters[0]
    AuditEvent.objects.create(
        actor=officer,
        verb="document.uploaded",
        target_type="intents.letterofintent",
        target_id=str(letter.pk),
        target_label=letter.reference,
        data={"document": "signed-letter-of-intent-final-v3.pdf", "sha256": "9f86d081" * 8},
    )
    Extension.objects.create(
        call=cycle.call,
        organisation=cycle.organisations[0],
        closes_at=cycle.call.deadline + dt.timedelta(days=3),
        reason="The signatory was on a field campaign in Antarctica without a connection.",
        granted_by=officer,
    )
    for number in range(3):
        OutboundEmail.objects.create(
            idempotency_key=f"layout-{number}",
            to=f"principal.investigator.{number}@{'astrophysique-planetologie.' * 2}example.org",
            subject=f"[FS31-LOI-000{number}] Your letter of intent was received and filed",
            body_text="…",
            state=OutboundEmail.State.FAILED,
            attempts=8,
            last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable " * 2,
        )
    ensure_periodic_tasks()
    call = cycle.call.slug
    return officer, [
        Wide(
            "letters",
            reverse("office:office_letters", args=[call]),
            "#office-letters",
            ("Reference", "Organisation", "Reviews", "Mean score", "Decision"),
        ),
        Wide(
            "ranking",
            reverse("office:ranking", args=[call]),
            "#ranking",
            ("Rank", "Letter", "Mean", "C6", "Reviews", "Decision"),
        ),
        Wide(
            "letter-scores",
            reverse("office:office_letter", args=[letter.pk]),
            "#review-scores",
            ("Reviewer", "C6", "Weighted score", "Recommendation"),
        ),
        Wide(
            "letter-audit",
            reverse("office:office_letter", args=[letter.pk]),
            "#letter-audit",
            ("When", "Who", "What happened"),
        ),
        Wide("dashboard", reverse("office:dashboard", args=[call]), "#timeline-table"),
        Wide("outbox", reverse("notifications:outbox"), "#outbox-emails"),
        Wide("schedule", reverse("notifications:schedule"), "#periodic-tasks"),
        Wide("pool", reverse("reviewing:reviewer_pool", args=[call]), "#reviewer-pool"),
        Wide(
            "assignments",
            reverse("reviewing:assignment_overview", args=[call]),
            "#assignment-table",
        ),
        Wide("extensions", reverse("office:extensions", args=[call]), "#extensions"),
        Wide("letter-assign", reverse("reviewing:letter_assign", args=[letter.pk]), "#candidates"),
        Wide("release", reverse("office:decisions_release", args=[call]), "#decision-counts"),
    ]


@pytest.fixture
def applicant_pages(signed_letter_type, mode):
    """An organisation with long member addresses, and a draft with a long-named document."""
    owner = UserFactory(email=f"owner@{'astrophysique-planetologie.' * 2}example.org")
    organisation = OrganisationFactory(legal_name=LONG_NAME)
    MembershipFactory(user=owner, organisation=organisation, role=Role.OWNER)
    for role in (Role.EDITOR, Role.VIEWER):
        MembershipFactory(
            user=UserFactory(full_name="Marie-Claire Fontaine-Delacroix"),
            organisation=organisation,
            role=role,
        )
    from intents.models import LetterOfIntent

    letter = LetterOfIntent.objects.create(
        call=mode.call, mode=mode, organisation=organisation, title=LONG_TITLE, created_by=owner
    )
    for name, value in complete_letter_fields().items():
        setattr(letter, name, value)
    letter.save()
    attach_pdf(letter, owner, signed_letter_type, name="signed-letter-of-intent-final-v3.pdf")
    assert Membership.objects.filter(organisation=organisation).count() == 3
    return owner, [
        Wide("members", reverse("organisations:members", args=[organisation.pk]), "table"),
        Wide(
            "documents",
            reverse("letters:letter_detail", args=[letter.pk]),
            "#letter-documents-table",
            fits_a_phone=True,
        ),
    ]


def signed_in(new_context, live_server, user, width):
    """A browser context of the given width, already signed in as `user`."""
    client = Client()
    client.force_login(user)
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    return page


def measure(page, wide, screenshot=None):
    page.goto(wide.url)
    if screenshot:
        screenshot(page, f"layout-{wide.name}-{page.viewport_size['width']}")
    return page.evaluate(MEASURE, [wide.table, list(wide.columns)])


def test_the_office_tables_show_every_column_at_desktop_width(
    wide, new_context, live_server, screenshot
):
    officer, pages = wide
    page = signed_in(new_context, live_server, officer, DESKTOP)
    found = {item.name: measure(page, item, screenshot) for item in pages if item.columns}
    for name, seen in found.items():
        assert seen["hidden"] == [], f"{name}: {seen}"
        assert seen["table"] <= seen["box"], f"{name}: {seen}"
        assert seen["page"] <= seen["window"], f"{name}: {seen}"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_office_page_scrolls_sideways(wide, new_context, live_server, screenshot, width):
    officer, pages = wide
    page = signed_in(new_context, live_server, officer, width)
    found = {item.name: measure(page, item, screenshot) for item in pages}
    sideways = {name: seen for name, seen in found.items() if seen["page"] > seen["window"]}
    assert sideways == {}


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_applicant_page_scrolls_sideways(
    applicant_pages, new_context, live_server, screenshot, width
):
    owner, pages = applicant_pages
    page = signed_in(new_context, live_server, owner, width)
    found = {item.name: measure(page, item, screenshot) for item in pages}
    sideways = {name: seen for name, seen in found.items() if seen["page"] > seen["window"]}
    assert sideways == {}
    for item in pages:
        if item.fits_a_phone:
            assert found[item.name]["table"] <= found[item.name]["box"], found[item.name]


# Every chart the reader sees: the smallest text in it as drawn on the screen (its font size
# times the picture's scale), any label cut short, and how its lines are drawn.
CHARTS = """
() => [...document.querySelectorAll('svg.chart')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll('text')];
    const sizes = texts.map((text) => parseFloat(getComputedStyle(text).fontSize) * scale);
    const lines = [...svg.querySelectorAll('path.chart-line')].map((path) => {
      const style = getComputedStyle(path);
      return `${style.strokeWidth} ${style.strokeDasharray}`;
    });
    return {
      id: svg.getAttribute('aria-labelledby').split(' ')[0],
      smallest: Math.min(...sizes),
      cut: texts.map((text) => text.textContent).filter((text) => text.endsWith('…')),
      lines,
      dots: svg.querySelectorAll('circle.chart-point').length,
    };
  })
"""


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_dashboards_charts_are_readable_and_tell_their_lines_apart(
    wide, new_context, live_server, screenshot, width
):
    officer, pages = wide
    page = signed_in(new_context, live_server, officer, width)
    (dashboard,) = [item for item in pages if item.name == "dashboard"]
    page.goto(dashboard.url)
    screenshot(page, f"layout-dashboard-charts-{width}")
    charts = {chart.pop("id"): chart for chart in page.evaluate(CHARTS)}
    # One drawing of each of the five charts: the phone's on a phone.
    names = ["timeline", "countries", "modes", "funnel", "reviewers"]
    suffix = "-narrow" if width == PHONE else ""
    assert sorted(charts) == sorted(f"chart-{name}{suffix}-title" for name in names)
    smallest = 12 if width == PHONE else 9  # a wide drawing is shrunk a little in half a row
    for name, chart in charts.items():
        assert chart["smallest"] >= smallest, (name, chart)
        assert chart["cut"] == [], name  # the modes' long names are shown whole
    # "Started" and "submitted" coincide in places: a wide band under a dashed, dotted line.
    started, submitted = charts[f"chart-timeline{suffix}-title"]["lines"]
    assert started.split()[0] != submitted.split()[0]  # stroke widths
    assert started.endswith("none") and not submitted.endswith("none")  # dash patterns
    assert charts[f"chart-timeline{suffix}-title"]["dots"] > 1
