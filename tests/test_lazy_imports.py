"""Start-up stays light (issue 15): ``import storyscope`` and the CLI module load no stage,
and a JSON report loads neither jinja2 nor jsonschema. Each check runs in a fresh process."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _loaded(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("code", ["import storyscope", "import storyscope.cli"])
def test_start_up_loads_no_stage(code: str) -> None:
    loaded = _loaded(code)
    heavy = {"storyscope.align", "storyscope.analyze", "storyscope.model", "storyscope.report", "numpy", "jinja2"}
    assert not loaded & heavy


def test_a_json_report_needs_no_template_engine() -> None:
    loaded = _loaded(
        "import storyscope\n"
        "from storyscope import Story, render\n"
        "from storyscope.report import SCHEMA_VERSION, render_json, to_dict\n"
        "assert callable(render_json) and SCHEMA_VERSION"
    )
    assert "storyscope.report.json" in loaded
    assert not loaded & {"jinja2", "jsonschema", "storyscope.report.html", "storyscope.align"}


def test_lazy_names_resolve() -> None:
    import storyscope
    import storyscope.report as report
    from storyscope import Story, compare
    from storyscope.model import Story as ModelStory

    assert Story is ModelStory and compare is storyscope.api.compare
    assert set(storyscope.__all__) <= set(dir(storyscope))
    assert set(report.__all__) <= set(dir(report))
    assert report.render_html.__module__ == "storyscope.report.html"
    assert report.validate.__module__ == "storyscope.report.validation"
    with pytest.raises(AttributeError):
        _ = storyscope.no_such_name
    with pytest.raises(AttributeError):
        _ = report.no_such_name


def test_importing_a_stage_subpackage_late_keeps_the_stage_function() -> None:
    loaded = _loaded(
        "import storyscope\n"
        "import storyscope.analyze.pipeline\n"  # loads the subpackage after the package
        "from storyscope import analyze\n"
        "assert callable(analyze) and analyze([]) == [] and analyze.Pipeline.__name__ == 'Pipeline'\n"
        "import storyscope.align as a\n"
        "assert a is storyscope.align and callable(a) and a.align is sys.modules['storyscope.align'].align"
    )
    assert "storyscope.analyze.pipeline" in loaded
