"""What a page looks like to an accessibility audit: axe-core's serious and critical violations
of WCAG 2.1 A/AA, and whether the page scrolls sideways."""

from dataclasses import dataclass
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}

# Runs in the page; axe was added to every document by the context's init script, which the
# page's Content-Security-Policy does not govern.
RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return results.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact,
        targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
}"""

# The blocks of a grid row shown above the block before them in the page's order (Bootstrap's
# order-* classes): the keyboard then reaches them in another order than the eye does.
SHOWN_OUT_OF_ORDER = """() => Array.from(document.querySelectorAll(".row")).flatMap((row) => {
    const shown = Array.from(row.children).filter((block) => block.offsetParent !== null);
    return shown.filter((block, i) => i > 0 &&
        block.getBoundingClientRect().bottom <= shown[i - 1].getBoundingClientRect().top)
        .map((block) => [block.tagName.toLowerCase(), ...block.classList].join("."));
})"""

SCROLLS_SIDEWAYS = """() => {
    const root = document.documentElement;
    return root.scrollWidth > root.clientWidth ? root.scrollWidth : 0;
}"""


@dataclass(frozen=True)
class Visit:
    """One page as one person saw it, in one language at one width."""

    url_name: str
    role: str
    path: str
    language: str
    width: int

    def __str__(self):
        return f"{self.url_name} ({self.path}) as {self.role}, {self.language}, {self.width} px"


@dataclass(frozen=True)
class Violation:
    visit: Visit
    rule: str
    impact: str
    targets: tuple[str, ...]

    def __str__(self):
        return f"{self.visit}: {self.rule} [{self.impact}] at {', '.join(self.targets)}"


def add_axe(context):
    """Makes axe-core available in every page the context opens."""
    context.add_init_script(path=str(AXE))


def serious_violations(page, visit: Visit) -> list[Violation]:
    return [
        Violation(visit, found["rule"], found["impact"], tuple(found["targets"]))
        for found in page.evaluate(RUN_AXE, WCAG_21_AA)
        if found["impact"] in SERIOUS
    ]


def sideways_width(page) -> int:
    """The page's full width when it is wider than the window (it scrolls sideways), else 0."""
    return page.evaluate(SCROLLS_SIDEWAYS)


def shown_out_of_order(page) -> list[str]:
    """The grid blocks the page shows before blocks that come before them in its order."""
    return page.evaluate(SHOWN_OUT_OF_ORDER)
