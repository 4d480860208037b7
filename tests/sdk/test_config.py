"""Networks, keys and connection errors: each gets a clear error before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils.address import to_checksum_address

import portchain
from portchain import (
    ChainConnectionError,
    ConfigurationError,
    InputError,
    MissingKeyError,
    UnknownNetworkError,
)
from portchain.config import DEV_MNEMONIC, deployer_account, get_network, network_names
from portchain.node import free_port
from portchain.port import default_deployments_dir

KEY = "0x" + "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"


KEY2 = "0x" + "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"

# Every variable these tests set or whose absence they rely on.
_VARIABLES = [
    f"{prefix}_{suffix}"
    for prefix in ("PORTCHAIN", "ANVIL", "SEPOLIA", "BESU", "REHEARSAL", "CONSORTIUM_TEST")
    for suffix in ("PRIVATE_KEY", "KEYSTORE", "KEYSTORE_PASSWORD", "RPC_URL", "CONFIRMATIONS", "CHAIN_ID",
                   "BLOCK_TIME", "SETTLEMENT_TOKEN")
] + ["PORTCHAIN_ANVIL_RPC_URL", "PORTCHAIN_ANVIL_CHAIN_ID", "PORTCHAIN_DEPLOYMENTS_DIR", "MY_DEPLOYER_KEY"]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No key, URL or token in the environment, and an empty portchain.toml: the built-in networks only."""
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    monkeypatch.setenv("PORTCHAIN_CONFIG", str(empty))
    return monkeypatch


def _toml(env: pytest.MonkeyPatch, path: Path, text: str) -> Path:
    path.write_text(text)
    env.setenv("PORTCHAIN_CONFIG", str(path))
    return path


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
    with pytest.raises(MissingKeyError, match="set SEPOLIA_PRIVATE_KEY or SEPOLIA_KEYSTORE"):
        deployer_account(network)


def test_local_network_defaults_to_dev_account(clean_env: pytest.MonkeyPatch) -> None:
    Account.enable_unaudited_hdwallet_features()
    expected = Account.from_mnemonic(DEV_MNEMONIC, account_path="m/44'/60'/0'/0/0").address
    assert deployer_account(get_network("anvil")).address == expected == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_private_key_of_the_network_from_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ANVIL_PRIVATE_KEY", KEY)
    assert deployer_account(get_network("anvil")).address == Account.from_key(KEY).address


def test_a_remote_networks_key_never_reaches_a_local_one(clean_env: pytest.MonkeyPatch) -> None:
    """The reported breakage: a testnet key in .env made `make demo` and the tests sign with an unfunded key."""
    clean_env.setenv("PORTCHAIN_PRIVATE_KEY", KEY)
    clean_env.setenv("SEPOLIA_PRIVATE_KEY", KEY2)
    assert deployer_account(get_network("anvil")).address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_remote_networks_own_key_then_the_portchain_fallback(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SEPOLIA_RPC_URL", "http://127.0.0.1:1")
    clean_env.setenv("BESU_RPC_URL", "http://127.0.0.1:2")
    clean_env.setenv("PORTCHAIN_PRIVATE_KEY", KEY)
    clean_env.setenv("SEPOLIA_PRIVATE_KEY", KEY2)
    assert deployer_account(get_network("sepolia")).address == Account.from_key(KEY2).address
    assert deployer_account(get_network("besu")).address == Account.from_key(KEY).address  # the fallback
    clean_env.delenv("PORTCHAIN_PRIVATE_KEY")
    with pytest.raises(MissingKeyError, match="no key for network 'besu': set BESU_PRIVATE_KEY or BESU_KEYSTORE"):
        deployer_account(get_network("besu"))  # never a development key on a remote network


def test_a_key_and_a_keystore_is_an_error_naming_both(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keystore = tmp_path / "key.json"
    keystore.write_text(json.dumps(Account.encrypt(KEY, "pw", kdf="pbkdf2", iterations=2)))
    clean_env.setenv("ANVIL_PRIVATE_KEY", KEY2)
    clean_env.setenv("ANVIL_KEYSTORE", str(keystore))
    clean_env.setenv("ANVIL_KEYSTORE_PASSWORD", "pw")
    with pytest.raises(ConfigurationError, match="ANVIL_PRIVATE_KEY and ANVIL_KEYSTORE are both set") as info:
        deployer_account(get_network("anvil"))
    assert KEY2[2:10] not in str(info.value)
    clean_env.setenv("SEPOLIA_RPC_URL", "http://127.0.0.1:1")
    clean_env.setenv("PORTCHAIN_PRIVATE_KEY", KEY2)
    clean_env.setenv("PORTCHAIN_KEYSTORE", str(keystore))
    with pytest.raises(ConfigurationError, match="PORTCHAIN_PRIVATE_KEY and PORTCHAIN_KEYSTORE are both set"):
        deployer_account(get_network("sepolia"))


def test_malformed_key_is_not_echoed(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ANVIL_PRIVATE_KEY", "0xdeadbeefsecret")
    with pytest.raises(InputError, match="ANVIL_PRIVATE_KEY is malformed") as info:
        deployer_account(get_network("anvil"))
    assert "deadbeef" not in str(info.value)


def test_keystore(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keystore = tmp_path / "key.json"
    keystore.write_text(json.dumps(Account.encrypt(KEY, "pw", kdf="pbkdf2", iterations=2)))
    clean_env.setenv("ANVIL_KEYSTORE", str(keystore))
    with pytest.raises(MissingKeyError, match="ANVIL_KEYSTORE is set but ANVIL_KEYSTORE_PASSWORD is not"):
        deployer_account(get_network("anvil"))
    clean_env.setenv("ANVIL_KEYSTORE_PASSWORD", "wrong")
    with pytest.raises(ConfigurationError, match="wrong password"):
        deployer_account(get_network("anvil"))
    clean_env.setenv("ANVIL_KEYSTORE_PASSWORD", "pw")
    assert deployer_account(get_network("anvil")).address == Account.from_key(KEY).address


def test_a_network_defined_in_portchain_toml(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keystore = tmp_path / "keys" / "deployer.json"
    keystore.parent.mkdir()
    keystore.write_text(json.dumps(Account.encrypt(KEY, "pw", kdf="pbkdf2", iterations=2)))
    token = "0x" + "11" * 20
    _toml(clean_env, tmp_path / "portchain.toml", f"""
[networks.consortium-test]
rpc_url = "http://besu.internal:8545"
chain_id = 2025
confirmations = 1
block_time = 2.5
keystore = "keys/deployer.json"          # relative to this file
settlement_token = "{token}"

[networks.sepolia]                        # a built-in one, adjusted
confirmations = 3
""")
    network = get_network("consortium-test")
    assert (network.chain_id, network.rpc_url, network.confirmations, network.block_time, network.local) == (
        2025, "http://besu.internal:8545", 1, 2.5, False)
    assert network.settlement_token == to_checksum_address(token)
    assert network.settlement_token_source.startswith("settlement_token in ")
    assert network.source == str(tmp_path / "portchain.toml")
    assert network_names() == ["anvil", "sepolia", "besu", "consortium-test"]
    clean_env.setenv("CONSORTIUM_TEST_KEYSTORE_PASSWORD", "pw")  # the name upper-cased, the dash an underscore
    assert deployer_account(network).address == Account.from_key(KEY).address
    clean_env.setenv("CONSORTIUM_TEST_PRIVATE_KEY", KEY2)
    with pytest.raises(ConfigurationError, match=r"CONSORTIUM_TEST_PRIVATE_KEY and keystore in .*portchain.toml "
                                                 r"\[networks.consortium-test\] are both set"):
        deployer_account(network)
    # the environment overrides the file; the built-in keeps what the file does not change
    clean_env.setenv("CONSORTIUM_TEST_RPC_URL", "http://127.0.0.1:9")
    clean_env.setenv("CONSORTIUM_TEST_CONFIRMATIONS", "0")
    assert (get_network("consortium-test").rpc_url, get_network("consortium-test").confirmations) == (
        "http://127.0.0.1:9", 0)
    clean_env.setenv("SEPOLIA_RPC_URL", "http://127.0.0.1:1")
    assert (get_network("sepolia").confirmations, get_network("sepolia").chain_id) == (3, 11155111)


@pytest.mark.parametrize("text, message", [
    ("[networks.x]\nchain_id = 5\nrpc = 'http://x'\n", r"\[networks.x\]: unknown key 'rpc'; known keys: rpc_url,"),
    ("[networks.x]\nchain_id = 5\nprivate_key = '0xabc'\n", r"'private_key': secrets never go in portchain.toml"),
    ("[networks.x]\nrpc_url = 'http://x'\n", r"\[networks.x\] needs chain_id"),
    ("[networks.x]\nchain_id = 'five'\n", r"chain_id must be a whole number of at least 1, got 'five'"),
    ("[networks.x]\nchain_id = 5\nlocal = 'yes'\n", r"local must be true or false"),
    ("[networks.x]\nchain_id = 5\nblock_time = 0\n", r"block_time must be a number of seconds above 0"),
    ("[networks.x]\nchain_id = 5\nrpc_url = 'http://x'\nrpc_url_env = 'X_URL'\n", r"rpc_url or rpc_url_env, not both"),
    ("[networks.x]\nchain_id = 5\nsettlement_token = '0x12'\n", r"settlement_token is not a 20-byte hex address"),
    ("[network.x]\nchain_id = 5\n", r"unknown key 'network'"),
    ("[networks.x\n", r"is not valid TOML"),
])
def test_bad_portchain_toml_names_the_file_and_the_key(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, text: str, message: str
) -> None:
    path = _toml(clean_env, tmp_path / "portchain.toml", text)
    with pytest.raises(ConfigurationError, match=message) as info:
        get_network("anvil")
    assert str(path) in str(info.value)
    assert "0xabc" not in str(info.value)


def test_portchain_config_must_name_a_file(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("PORTCHAIN_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigurationError, match="PORTCHAIN_CONFIG=.*missing.toml is not a file"):
        get_network("anvil")


def test_portchain_toml_is_found_at_the_project_root(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env.delenv("PORTCHAIN_CONFIG")
    project = tmp_path / "ops"
    (project / "scripts").mkdir(parents=True)
    (project / "portchain.toml").write_text("[networks.rehearsal]\nchain_id = 7\nlocal = true\n")
    clean_env.chdir(project / "scripts")
    assert get_network("rehearsal").chain_id == 7
    assert default_deployments_dir() == project.resolve() / "deployments"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean_env.chdir(elsewhere)  # outside any project: ./deployments, never the installed package's checkout
    assert default_deployments_dir() == elsewhere.resolve() / "deployments"
    with pytest.raises(UnknownNetworkError):
        get_network("rehearsal")


def test_settlement_token_per_network(clean_env: pytest.MonkeyPatch) -> None:
    token, other = "0x" + "22" * 20, "0x" + "33" * 20
    clean_env.setenv("SEPOLIA_RPC_URL", "http://127.0.0.1:1")
    clean_env.setenv("PORTCHAIN_SETTLEMENT_TOKEN", token)
    assert get_network("sepolia").settlement_token == to_checksum_address(token)
    assert get_network("sepolia").settlement_token_source == "PORTCHAIN_SETTLEMENT_TOKEN"
    assert get_network("anvil").settlement_token is None  # a local chain keeps its own faucet token
    clean_env.setenv("SEPOLIA_SETTLEMENT_TOKEN", other)
    assert get_network("sepolia").settlement_token == to_checksum_address(other)
    clean_env.setenv("SEPOLIA_SETTLEMENT_TOKEN", "0x1234")
    with pytest.raises(ConfigurationError, match="SEPOLIA_SETTLEMENT_TOKEN is not a 20-byte hex address"):
        get_network("sepolia")


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
    clean_env.setenv("ANVIL_KEYSTORE", str(keystore))
    clean_env.setenv("ANVIL_KEYSTORE_PASSWORD", "pw")
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


def test_a_remote_network_without_a_token_says_how_to_get_one(  # type: ignore[no-untyped-def]
    session_port, clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _toml(clean_env, tmp_path / "portchain.toml",
          f"[networks.rehearsal]\nchain_id = 31337\nrpc_url = '{session_port.layer.rpc_url}'\n")
    port = portchain.connect("rehearsal", deployments_dir=tmp_path)
    with pytest.raises(portchain.DeploymentError, match=r"rehearsal has no settlement token: set "
                                                         r"REHEARSAL_SETTLEMENT_TOKEN, PORTCHAIN_SETTLEMENT_TOKEN or "
                                                         r"settlement_token in portchain.toml \[networks.rehearsal\] .*"
                                                         r"`portchain deploy --network rehearsal --with-token`"):
        _ = port.token.decimals
    clean_env.setenv("REHEARSAL_SETTLEMENT_TOKEN", "0x" + "44" * 20)
    port = portchain.connect("rehearsal", deployments_dir=tmp_path)
    with pytest.raises(portchain.DeploymentError, match=r"from REHEARSAL_SETTLEMENT_TOKEN\) has no code on rehearsal"):
        _ = port.token.decimals
    clean_env.setenv("REHEARSAL_PRIVATE_KEY", KEY)
    with pytest.raises(ConfigurationError, match="has a settlement token configured .* drop --with-token"):
        port.deploy(with_token=True)


def test_portchain_networks_shows_where_keys_come_from_never_keys(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from portchain.cli import main

    _toml(clean_env, tmp_path / "portchain.toml", "[networks.rehearsal]\nchain_id = 7\nrpc_url_env = 'MY_URL'\n"
                                                  "private_key_env = 'MY_DEPLOYER_KEY'\n")
    clean_env.setenv("MY_DEPLOYER_KEY", KEY)
    clean_env.setenv("SEPOLIA_RPC_URL", "https://user:SECRETPW@rpc.example.org/v3/SECRETKEY")
    assert main(["networks"]) == 0
    out = capsys.readouterr().out
    assert "rehearsal: chain 7, remote, no RPC URL (set MY_URL)" in out and "key: MY_DEPLOYER_KEY" in out
    assert "sepolia: chain 11155111, remote, rpc.example.org, 2 confirmations, ~12 s blocks; key: none (set " \
           "SEPOLIA_PRIVATE_KEY or SEPOLIA_KEYSTORE" in out
    assert "anvil: chain 31337, local, auto-started anvil" in out and "Anvil development account 0" in out
    assert "SECRET" not in out and KEY[2:12] not in out


def test_deployments_option_says_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    from portchain.cli import main

    with pytest.raises(SystemExit):
        main(["deploy", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "$PORTCHAIN_DEPLOYMENTS_DIR, else deployments/ in the project the current directory is in" in help_text
    assert "--with-token" in help_text


def test_the_shipped_example_configuration_is_valid(clean_env: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parents[2] / "portchain.toml.example"
    clean_env.setenv("PORTCHAIN_CONFIG", str(example))
    clean_env.setenv("HOLESKY_RPC_URL", "http://127.0.0.1:1")
    assert network_names() == ["anvil", "sepolia", "besu", "consortium", "holesky"]
    consortium = get_network("consortium")
    assert (consortium.chain_id, consortium.block_time, consortium.keys.keystore_path) == (
        2025, 2.0, str(example.parent / "keys" / "consortium-admin.json"))
    assert get_network("holesky").rpc_url == "http://127.0.0.1:1"
    clean_env.setenv("SEPOLIA_RPC_URL", "http://127.0.0.1:2")
    assert get_network("sepolia").keys.private_key_env == "SEPOLIA_DEPLOYER_KEY"
