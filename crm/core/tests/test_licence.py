"""The project carries an open licence and says which (issue 14, item 10)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_licence_file_holds_the_mit_licence():
    """LICENSE is the OSI-approved MIT licence, with a copyright line."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c)" in text
    assert "Permission is hereby granted, free of charge" in text


def test_readme_and_project_metadata_name_the_licence():
    """The README links the licence and pyproject declares its SPDX name."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "[MIT License](LICENSE)" in readme
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
