"""The scenario library that comes with the package: listed, found by name from any
directory, and copied out with the files it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathway_sim.core.errors import UsageError
from pathway_sim.inputs import library

from .conftest import ROOT, short_options, write


def test_the_library_holds_every_scenario_and_experiment_file_of_the_repository() -> None:
    listed = {e.path.relative_to(library.root()).as_posix() for e in library.entries()}
    in_repo = {
        p.relative_to(ROOT).as_posix()
        for folder in ("scenarios", "experiments")
        for p in (ROOT / folder).rglob("*.yaml")
    }
    assert listed == in_repo


def test_names_are_unique_within_each_kind_so_a_name_finds_one_file() -> None:
    for kind in library.FOLDERS:
        names = [e.name for e in library.entries() if e.kind == kind]
        assert len(names) == len(set(names)), kind


def test_a_file_that_exists_wins_over_a_library_name(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert library.resolve("base", "scenario") == library.root() / "scenarios" / "base.yaml"
    write(tmp_path / "base", "model: perinatal\n")
    assert library.resolve("base", "scenario") == Path("base")


def test_an_unknown_name_is_refused_naming_it() -> None:
    with pytest.raises(UsageError, match="nosuch: no such file, nor a scenario"):
        library.resolve("nosuch", "scenario")


def test_run_takes_a_library_name_from_any_directory(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = cli("run", "mmc", "--reps", "2", *short_options(), "--out", "r", "--quiet")
    assert code == 0, err
    assert (tmp_path / "r" / "replications.csv").exists()


def test_list_shows_each_file_with_what_it_is(cli) -> None:
    code, out, _err = cli("scenarios")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "sites" in lines["northern_city"] and "interventions" in lines["kr5_hub"]
    assert "sensitivity" in lines["sensitivity_morris_base"]
    assert "uncertainty" in lines["uncertainty_default"]
    assert "experiment" in lines["factorial_levers"]


def test_copy_brings_the_files_it_names_so_the_copy_runs(cli, tmp_path: Path) -> None:
    code, out, _err = cli("scenarios", "copy", "factorial_levers", tmp_path)
    assert code == 0
    written = {Path(line.removeprefix("wrote ")) for line in out.splitlines()}
    assert tmp_path / "experiments" / "factorial_levers.yaml" in written
    assert tmp_path / "scenarios" / "sites" / "northern_city.yaml" in written
    assert tmp_path / "scenarios" / "base.yaml" in written  # the site extends the base
    code, _out, err = cli("validate", tmp_path / "scenarios" / "sites" / "northern_city.yaml")
    assert code == 0, err


def test_copy_never_overwrites(cli, tmp_path: Path) -> None:
    target = write(tmp_path / "scenarios" / "base.yaml", "mine\n")
    code, _out, err = cli("scenarios", "copy", "base", tmp_path)
    assert code == 2 and "exists" in err
    assert target.read_text() == "mine\n"


@pytest.mark.parametrize("args", [("copy", "nosuch", "d"), ("copy", "base"), ("list",)])
def test_bad_scenarios_arguments_exit_2(cli, tmp_path: Path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = cli("scenarios", *args)
    assert code == 2 and "scenarios" in err
    assert list(tmp_path.iterdir()) == []
