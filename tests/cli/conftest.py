"""Run `portchain ...` in-process against the session's node, capturing its output and exit code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portchain.cli import main

Run = Callable[..., tuple[int, str, str]]


def _runner(port, deployments: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PORTCHAIN_ANVIL_RPC_URL", port.layer.rpc_url)
    monkeypatch.setenv("PORTCHAIN_DEPLOYMENTS_DIR", str(deployments))
    for name in ("PORTCHAIN_PRIVATE_KEY", "PORTCHAIN_KEYSTORE", "ANVIL_PRIVATE_KEY", "ANVIL_KEYSTORE"):
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's own usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def cli(port, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Run]:  # type: ignore[no-untyped-def]
    """The CLI with an empty deployments folder of its own (it deploys a fresh suite)."""
    yield _runner(port, tmp_path, monkeypatch, capsys)
    port.layer.reset_nonces()  # the CLI sent from the same keys through its own transaction layer


@pytest.fixture
def suite_cli(port, parties, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Run]:  # type: ignore[no-untyped-def]
    """The CLI on the session's deployed suite, where every devnet party is onboarded (`--as ROLE` works)."""
    yield _runner(port, port.deployments_dir, monkeypatch, capsys)
    port.layer.reset_nonces()
