"""The layers, read from the source with ast: portal/ (the lower one) never imports intents/, and
no module of either imports itself back through others. An import inside a function counts too;
one under `if TYPE_CHECKING:` (for type hints only, never run) does not. Migrations aside.
portal's templates (the site's layout, its error pages, its apps' pages and e-mails) name no URL
of intents either: they reach intents' pages through the links it registers."""

import ast
import re
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["portal", "intents"]
# The settings list the installed apps, intents among them: the one place portal names it.
SETTINGS = "portal.settings"
# A string that is a dotted path into intents ("intents.urls", "intents.send_due_reminders")
# or its app label; prose that mentions one is not a reference.
NAMES_INTENTS = re.compile(r"intents(\.\w+)*")


def module_name(relative_path):
    parts = Path(relative_path).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def read_sources():
    """{module name: (relative path, source)} for every module of portal/ and intents/."""
    sources = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" not in relative.parts:
                sources[module_name(relative)] = (str(relative), path.read_text(encoding="utf-8"))
    return sources


def is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def nodes(tree):
    """Every node of the module in reading order, leaving out the bodies of `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and is_type_checking(node.test):
            children = node.orelse
        else:
            children = list(ast.iter_child_nodes(node))
        stack.extend(reversed(children))


def imported(module, relative_path, node):
    """What an import statement reaches, one entry per name it imports: the dotted names that
    name may be, most specific first (`from a import b` is the module a.b if there is one, else
    something defined in a)."""
    if isinstance(node, ast.Import):
        return [[alias.name] for alias in node.names]
    if node.level:
        is_package = relative_path.endswith("__init__.py")
        package = module.split(".")[: None if is_package else -1]
        base = ".".join(package[: len(package) - node.level + 1])
        target = f"{base}.{node.module}" if node.module else base
    else:
        target = node.module
    return [[f"{target}.{alias.name}", target] for alias in node.names]


def imports(sources):
    """(importing module, line, what it imports) for every import statement."""
    for module, (relative_path, source) in sources.items():
        for node in nodes(ast.parse(source, relative_path)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield module, node.lineno, imported(module, relative_path, node)


def portal_references_to_intents(sources):
    """Each import of intents from portal/, and each string there naming an intents module."""
    found = []
    for module, line, entries in imports(sources):
        if module.split(".")[0] == "portal":
            # The module as the statement names it: `from intents.x import y` names intents.x.
            named = sorted({choices[-1] for choices in entries})
            found += [
                f"{sources[module][0]}:{line} imports {name}"
                for name in named
                if name.split(".")[0] == "intents"
            ]
    for module, (relative_path, source) in sources.items():
        if module.split(".")[0] != "portal" or module == SETTINGS:
            continue
        for node in nodes(ast.parse(source, relative_path)):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and NAMES_INTENTS.fullmatch(node.value)
            ):
                found.append(f"{relative_path}:{node.lineno} names {node.value!r}")
    return found


def import_graph(sources):
    """{module: {imported module: line of the first such import}} among our own modules."""
    graph = {module: {} for module in sources}
    for module, line, entries in imports(sources):
        for choices in entries:
            target = next((name for name in choices if name in sources), None)
            if target is not None and target != module:
                graph[module].setdefault(target, line)
    return graph


def shortest_cycle_through(start, graph):
    """The shortest chain of imports from `start` back to it, or None."""
    paths = {start: [start]}
    queue = [start]
    for module in queue:
        for target in sorted(graph[module]):
            if target == start:
                return paths[module] + [start]
            if target not in paths:
                paths[target] = paths[module] + [target]
                queue.append(target)
    return None


def cycles(graph):
    """Each distinct shortest cycle through some module, as a readable chain: every module with
    the line of its import of the next one."""
    seen, chains = set(), []
    for module in sorted(graph):
        cycle = shortest_cycle_through(module, graph)
        if cycle is None:
            continue
        # The same cycle is found from each of its modules: keep it once.
        key = frozenset(pairwise(cycle))
        if key in seen:
            continue
        seen.add(key)
        steps = [f"{a}:{graph[a][b]}" for a, b in pairwise(cycle)]
        chains.append(" -> ".join([*steps, cycle[-1]]))
    return chains


def test_portal_never_imports_intents():
    found = portal_references_to_intents(read_sources())
    assert not found, "portal/ names intents/:\n" + "\n".join(found)


def test_no_module_imports_itself_back():
    found = cycles(import_graph(read_sources()))
    assert not found, "Import cycles (module:line of its import of the next):\n" + "\n".join(found)


def portal_templates():
    """{path: text} of what portal renders: the layout and error pages, its apps' folders, the
    e-mails its code names, allauth's pages."""
    folder = ROOT / "templates"
    names = {"base.html", "error_page.html", "400.html", "403.html", "404.html", "429.html"}
    names |= {"500.html"}
    for _module, (_path, source) in read_sources().items():
        if _module.startswith("portal."):
            names |= {f"{email}{suffix}" for email in re.findall(r"emails/\w+", source)
                      for suffix in (".html", ".txt", "_subject.txt")}  # fmt: skip
    paths = [folder / name for name in sorted(names)]
    for app in ("organisations", "notifications", "security", "account", "allauth"):
        paths += sorted((folder / app).rglob("*.html")) + sorted((folder / app).rglob("*.txt"))
    return {str(path.relative_to(ROOT)): path.read_text() for path in paths if path.exists()}


def intents_namespaces():
    from django.urls import get_resolver

    return {
        namespace
        for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items()
        if getattr(resolver.urlconf_module, "__name__", "").startswith("intents.")
    }


def templates_naming_intents(templates, namespaces):
    found = []
    for path, text in templates.items():
        for number, line in enumerate(text.splitlines(), 1):
            for namespace in re.findall(r"{%\s*url\s+['\"](\w+):", line):
                if namespace in namespaces:
                    found.append(f"{path}:{number} links to a page of intents ({namespace}:)")
            if "reviewer_places" in line:
                found.append(f"{path}:{number} reads an intents relation (reviewer_places)")
    return found


def test_portal_templates_name_no_page_of_intents():
    namespaces = intents_namespaces()
    assert {"letters", "reviewing", "office"} <= namespaces
    templates = portal_templates()
    assert {"templates/base.html", "templates/emails/invitation.html"} <= templates.keys()
    found = templates_naming_intents(templates, namespaces)
    assert not found, "portal's templates name intents:\n" + "\n".join(found)


def test_the_template_check_finds_what_was_planted():
    planted = {"templates/base.html": "<a href=\"{% url 'office:office_home' %}\">Office</a>"}
    assert templates_naming_intents(planted, {"office"}) == [
        "templates/base.html:1 links to a page of intents (office:)"
    ]


PLANTED = {
    "portal.notifications.views": (
        "portal/notifications/views.py",
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from intents.models import Call\n"
        "def page(request):\n"
        "    from intents.access import require_office\n",
    ),
    "portal.notifications.schedule": (
        "portal/notifications/schedule.py",
        'TASKS = [{"task": "intents.send_due_reminders", "description": "See intents.tasks."}]\n',
    ),
    "portal.settings": ("portal/settings.py", 'INSTALLED_APPS = ["intents"]\n'),
    "intents.tasks": ("intents/tasks.py", "def send():\n    from .office import archive\n"),
    "intents.office": ("intents/office/__init__.py", ""),
    "intents.office.archive": ("intents/office/archive.py", "\n\nfrom ..tasks import send\n"),
}


def test_the_checks_find_what_was_planted():
    assert portal_references_to_intents(PLANTED) == [
        "portal/notifications/views.py:5 imports intents.access",
        "portal/notifications/schedule.py:1 names 'intents.send_due_reminders'",
    ]
    assert cycles(import_graph(PLANTED)) == [
        "intents.office.archive:3 -> intents.tasks:2 -> intents.office.archive"
    ]
