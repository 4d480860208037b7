"""Networks, keys and connection errors: each gets a clear error before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account

import portchain
from portchain import (
    ChainConnectionError,
    ConfigurationError,
    InputError,
    MissingKeyError,
    UnknownNetworkError,
)
from portchain.config import DEV_MNEMONIC, deployer_account, get_network
from portchain.node import free_port

KEY = "0x" + "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("PORTCHAIN_PRIVATE_KEY", "PORTCHAIN_KEYSTORE", "PORTCHAIN_KEYSTORE_PASSWORD", "SEPOLIA_RPC_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_unknown_network(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnknownNetworkError, match="unknown network 'mainnet'; known networks: anvil, sepolia, besu"):
        get_network("mainnet")


def test_remote_network_needs_rpc_url(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="set SEPOLIA_RPC_URL"):
        get_network("sepolia")


def test_remote_network_needs_a_key(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SEPOLIA_RPC_URL", "https://sepolia.invalid/v3/secret-api-key")
    network = get_network("sepolia")
    assert "secret-api-key" not in repr(network)
    with pytest.raises(MissingKeyError, match="PORTCHAIN_PRIVATE_KEY or PORTCHAIN_KEYSTORE"):
        deployer_account(network)


def test_local_network_defaults_to_dev_account(clean_env: pytest.MonkeyPatch) -> None:
    Account.enable_unaudited_hdwallet_features()
    expected = Account.from_mnemonic(DEV_MNEMONIC, account_path="m/44'/60'/0'/0/0").address
    assert deployer_account(get_network("anvil")).address == expected == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_private_key_from_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PORTCHAIN_PRIVATE_KEY", KEY)
    assert deployer_account(get_network("anvil")).address == Account.from_key(KEY).address


def test_malformed_key_is_not_echoed(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PORTCHAIN_PRIVATE_KEY", "0xdeadbeefsecret")
    with pytest.raises(InputError) as info:
        deployer_account(get_network("anvil"))
    assert "deadbeef" not in str(info.value)


def test_keystore(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keystore = tmp_path / "key.json"
    keystore.write_text(json.dumps(Account.encrypt(KEY, "pw", kdf="pbkdf2", iterations=2)))
    clean_env.setenv("PORTCHAIN_KEYSTORE", str(keystore))
    with pytest.raises(MissingKeyError, match="PORTCHAIN_KEYSTORE_PASSWORD is not"):
        deployer_account(get_network("anvil"))
    clean_env.setenv("PORTCHAIN_KEYSTORE_PASSWORD", "wrong")
    with pytest.raises(ConfigurationError, match="wrong password"):
        deployer_account(get_network("anvil"))
    clean_env.setenv("PORTCHAIN_KEYSTORE_PASSWORD", "pw")
    assert deployer_account(get_network("anvil")).address == Account.from_key(KEY).address


def test_unreachable_rpc(clean_env: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ChainConnectionError, match="cannot reach the RPC endpoint at 127.0.0.1"):
        portchain.connect("anvil", rpc_url=url)


def test_wrong_chain_id_refused(session_port, clean_env: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    clean_env.setenv("SEPOLIA_RPC_URL", session_port.layer.rpc_url)
    with pytest.raises(ConfigurationError, match="is chain 31337, but network 'sepolia' is chain 11155111"):
        portchain.connect("sepolia")


def test_fresh_node_only_for_local_networks(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SEPOLIA_RPC_URL", "http://127.0.0.1:1")
    with pytest.raises(ConfigurationError, match="only be started for a local network"):
        portchain.connect("sepolia", fresh_node=True)


def test_rpc_credentials_never_show(clean_env: pytest.MonkeyPatch) -> None:
    from portchain.config import safe_host

    assert safe_host("https://user:SECRETPW@rpc.example.org:8545/v3/KEY?apikey=SECRET") == "rpc.example.org:8545"
    clean_env.setenv("SEPOLIA_RPC_URL", f"http://user:SECRETPW@127.0.0.1:{free_port()}/v3?apikey=SECRETKEY")
    assert "SECRET" not in repr(get_network("sepolia"))
    with pytest.raises(ChainConnectionError) as info:
        portchain.connect("sepolia")
    assert "SECRET" not in str(info.value) and "127.0.0.1" in str(info.value)


def test_an_rpc_url_given_on_the_command_line_is_enough(clean_env: pytest.MonkeyPatch) -> None:
    assert get_network("sepolia", rpc_url="http://127.0.0.1:1").rpc_url == "http://127.0.0.1:1"


def test_an_endpoint_that_is_not_json_rpc(clean_env: pytest.MonkeyPatch) -> None:
    import http.server
    import threading

    class Html(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>proxy says hello</html>")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Html)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(ChainConnectionError, match="did not answer JSON-RPC"):
            portchain.connect("anvil", rpc_url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()


def test_a_file_that_is_not_a_keystore(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keystore = tmp_path / "key.json"
    keystore.write_text("{}")
    clean_env.setenv("PORTCHAIN_KEYSTORE", str(keystore))
    clean_env.setenv("PORTCHAIN_KEYSTORE_PASSWORD", "pw")
    with pytest.raises(ConfigurationError, match="is not an encrypted keystore"):
        deployer_account(get_network("anvil"))


def test_stale_records_are_refused_before_any_call(session_port, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json as _json

    from portchain import DeploymentError

    folder = tmp_path / "anvil"
    folder.mkdir()
    record = _json.loads((session_port.deployments_dir / "anvil" / "PortRegistry.json").read_text())
    record["address"] = "0x000000000000000000000000000000000000dEaD"
    (folder / "PortRegistry.json").write_text(_json.dumps(record))
    port = portchain.connect("anvil", rpc_url=session_port.layer.rpc_url, deployments_dir=tmp_path)
    with pytest.raises(DeploymentError, match="no code there on this chain"):
        port.registry.organisation_count()
