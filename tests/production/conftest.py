import pytest

from .stack import ProductionStack


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def stack():
    """The production stack for one test module: one node ("a") to start with; a module
    starts more with `stack.start_node(name)`. Stopped, and its database dropped, at the end;
    the logs stay in `stack.log_dir`."""
    production = ProductionStack()
    try:
        production.start()
        print(f"production stack up in {production.log_dir}: {production.timings}")
    except BaseException:
        print(production.report(60))
        production.stop()
        raise
    yield production
    production.stop()


@pytest.fixture(autouse=True)
def logs_on_failure(request):
    """A failed test prints the tail of every process's log."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and "stack" in request.fixturenames:
        print(request.getfixturevalue("stack").report(60))
