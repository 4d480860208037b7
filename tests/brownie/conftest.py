"""tests/brownie runs in brownie's own venv (`make brownie-test`: .venv-brownie/bin/python -m pytest --noconftest
tests/brownie), never in the SDK's test run: eth-brownie is not installed in .venv and must not be (it pins web3 and
dozens of packages its own way). Without the eth-brownie distribution nothing here is collected."""

from importlib.metadata import PackageNotFoundError, version

try:
    version("eth-brownie")
    collect_ignore_glob: list[str] = []
except PackageNotFoundError:
    collect_ignore_glob = ["*"]
