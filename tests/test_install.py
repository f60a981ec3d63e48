"""The README's commands and a plain wheel install, run as a new user would.

These create real virtual environments and install from the package index
(or pip's cache); they take a minute, and they are the only proof that a
fresh machine can do what the README says.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    venv_bin = str(Path(sys.prefix) / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p != venv_bin)
    return env


def copy_repo(target: Path) -> Path:
    ignore = shutil.ignore_patterns(".git", ".venv*", "__pycache__", "*.egg-info", "dist",
                                    "build", ".mypy_cache", ".ruff_cache", ".pytest_cache")
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def test_readme_has_the_two_commands_and_ci_runs_the_test_command() -> None:
    first, second = readme_commands()[:2]
    assert first.endswith("auditor check --demo")
    assert second.endswith("python -m pytest")
    assert second in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_first_command_runs_the_demo(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    first = readme_commands()[0]
    done = subprocess.run(["bash", "-c", first], cwd=repo, env=clean_env(),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 1, done.stderr[-3000:]  # the demo school has violations
    assert "Trường THCS Hoa Phượng" in done.stdout
    assert "Tổ Ngữ văn" in done.stdout
    assert "Traceback" not in done.stderr


def test_wheel_installs_and_runs_from_any_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(copy_repo(tmp_path / "repo"))], check=True, timeout=600,
                   env=clean_env())
    wheel = next(dist.glob("auditor-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheel)], check=True, timeout=900,
                   env=clean_env())
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    exe = str(venv / "bin" / "auditor")
    listed = subprocess.run([exe, "rules", "list"], cwd=elsewhere, capture_output=True,
                            text=True, timeout=120, env=clean_env())
    assert listed.returncode == 0, listed.stderr
    assert "posts.event-deadline" in listed.stdout
    demo = subprocess.run([exe, "check", "--demo", "--format", "json"], cwd=elsewhere,
                          capture_output=True, text=True, timeout=600, env=clean_env())
    assert demo.returncode == 1, demo.stderr
    assert '"Trường THCS Hoa Phượng"' in demo.stdout
    # The data came from inside the wheel, not from this source tree.
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import auditor.resources as r; print(r.demo_dir())"],
                          cwd=elsewhere, capture_output=True, text=True, check=True,
                          env=clean_env())
    assert str(venv) in site.stdout
