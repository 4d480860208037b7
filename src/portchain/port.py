"""Connect to a network and reach the deployed suite.

>>> import portchain
>>> with portchain.connect("anvil") as port:             # doctest: +SKIP
...     port.deploy()                                    # starts Anvil itself when no RPC URL is configured
...     port.registry.organisation_count()
0
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar, overload

from eth_account.signers.local import LocalAccount

from .clients._base import ContractClient
from .clients.bill_of_lading import BillOfLadingClient
from .clients.cargo_release import GateClient
from .clients.customs import CustomsClient
from .clients.letter_of_credit import LetterOfCreditClient
from .clients.port_registry import RegistryClient
from .clients.settlement_token import TokenClient
from .clients.trade_documents import TradeDocumentsClient
from .clients.vat_rebates import RebatesClient
from .config import Network, deployer_account, get_network, project_dir
from .deploy import DeployResult, Log, deploy_suite, load_records, pending_note
from .errors import ConfigurationError, DeploymentError, PortchainError
from .node import AnvilNode, set_balance
from .transactions import Batch, TransactionLayer


def default_deployments_dir() -> Path:
    """Where deployment records go unless told: ``$PORTCHAIN_DEPLOYMENTS_DIR``, else ``deployments/`` of the project
    the current directory is in (the nearest folder upwards with a ``portchain.toml`` or a portchain checkout), else
    ``./deployments``. Never the folder of the installed package: a script run elsewhere writes where it runs."""
    explicit = os.environ.get("PORTCHAIN_DEPLOYMENTS_DIR")
    if explicit:
        return Path(explicit)
    root = project_dir()
    return (root if root is not None else Path.cwd()) / "deployments"


C = TypeVar("C", bound=ContractClient)


class _Deployed(Generic[C]):
    """A :class:`Port` attribute: the client of one deployed contract, built on first use from the network's
    deployment records."""

    def __init__(self, cls: type[C], doc: str) -> None:
        self.cls = cls
        self.__doc__ = doc

    @overload
    def __get__(self, port: None, owner: type[Port]) -> _Deployed[C]: ...

    @overload
    def __get__(self, port: Port, owner: type[Port]) -> C: ...

    def __get__(self, port: Port | None, owner: type[Port]) -> _Deployed[C] | C:
        return self if port is None else port._client(self.cls)


class Port:
    """A connection to one network: the transaction layer, the deployer account and the contract clients."""

    registry = _Deployed(RegistryClient, "The participant registry.")
    bol = _Deployed(BillOfLadingClient, "Electronic bills of lading.")
    docs = _Deployed(TradeDocumentsClient, "Anchors of invoices, packing lists and certificates.")
    lc = _Deployed(LetterOfCreditClient, "Letters of credit.")
    customs = _Deployed(CustomsClient, "Customs declarations, tariffs, duties and release.")
    gate = _Deployed(GateClient, "Contactless container release at the terminal.")
    rebates = _Deployed(RebatesClient, "Export VAT rebates.")

    def __init__(
        self,
        network: Network,
        layer: TransactionLayer,
        *,
        node: AnvilNode | None = None,
        deployments_dir: Path | None = None,
    ) -> None:
        self.network = network
        self.layer = layer
        self.node = node
        self.deployments_dir = Path(deployments_dir or default_deployments_dir())
        self._records: dict[str, dict[str, Any]] | None = None
        self._clients: dict[str, ContractClient] = {}
        self._deployer: LocalAccount | None = None

    def __repr__(self) -> str:
        return f"Port({self.network!r})"

    @property
    def deployer(self) -> LocalAccount:
        """The account that deploys and administers on this network (see :func:`portchain.config.deployer_account`);
        read once per connection (a keystore is decrypted once). On a node this connection started itself, a
        configured local key (``ANVIL_PRIVATE_KEY``) without ether is given some."""
        if self._deployer is None:
            account = deployer_account(self.network)
            if self.node is not None and not int(self.layer.request("eth_getBalance", [account.address, "latest"]), 16):
                self.fund(account.address)  # a configured local key on the throwaway node this connection started
            self._deployer = account
        return self._deployer

    def deploy(
        self, *, log: Log = lambda _msg: None, progress: Log | None = None, with_token: bool = False
    ) -> DeployResult:
        """Deploy or reuse the whole suite, then point the clients at it. ``progress`` hears how each transaction
        is waited for (a line every few seconds at most); ``with_token`` deploys the SettlementToken faucet on a
        network that is not local (a local one always gets it)."""
        if with_token and self.network.settlement_token:
            raise ConfigurationError(
                f"network {self.network.name!r} has a settlement token configured ({self.network.settlement_token}, "
                f"from {self.network.settlement_token_source}): unset it to deploy the faucet token, or drop "
                "--with-token"
            )
        result = deploy_suite(
            self.layer, self.network.name, self.deployer, self.deployments_dir, local=self.network.local, log=log,
            with_token=with_token, progress=progress, confirmations=self.network.confirmations,
            block_time=self.network.block_time,
        )
        self._records = result.records
        self._clients.clear()
        return result

    def _client(self, cls: type[C]) -> C:
        """The client of contract ``cls.contract_name`` at its recorded address (built once per deployment)."""
        name = cls.contract_name
        cached = self._clients.get(name)
        if isinstance(cached, cls):
            return cached
        record = self._recorded(name)
        redeploy = f"run `portchain deploy --network {self.network.name}`"
        if record is None:
            raise DeploymentError(f"{name} is not deployed on {self.network.name}: {redeploy}")
        if "pending" in record:
            raise DeploymentError(f"{name} {pending_note(record)}: {redeploy} to finish it")
        if not self.layer.get_code(record["address"]):
            raise DeploymentError(
                f"the records say {name} is at {record['address']} but there is no code there on this chain "
                f"(a restarted node?): {redeploy}"
            )
        client = cls(self.layer, record["address"], deploy_block=record["receipt"]["blockNumber"])
        self._clients[name] = client
        return client

    @property
    def token(self) -> TokenClient:
        """The settlement token: the network's configured one (``<NAME>_SETTLEMENT_TOKEN``, ``settlement_token`` in
        portchain.toml, or ``PORTCHAIN_SETTLEMENT_TOKEN`` on a remote network), else the recorded SettlementToken
        deployment (always deployed on a local network; elsewhere by ``portchain deploy --with-token``)."""
        cached = self._clients.get("token")
        if isinstance(cached, TokenClient):
            return cached
        network = self.network
        if network.settlement_token:
            if not self.layer.get_code(network.settlement_token):
                raise DeploymentError(
                    f"the settlement token {network.settlement_token} (from {network.settlement_token_source}) has "
                    f"no code on {network.name}: check the address and the network"
                )
            token = TokenClient(self.layer, network.settlement_token)
        else:
            if not network.local and self._recorded("SettlementToken") is None:
                raise DeploymentError(
                    f"{network.name} has no settlement token: set {network.settlement_token_hint} to the ERC-20 "
                    f"letters of credit settle in, or deploy the faucet token with "
                    f"`portchain deploy --network {network.name} --with-token`"
                )
            token = self._client(TokenClient)
        self._clients["token"] = token
        return token

    def _recorded(self, name: str) -> dict[str, Any] | None:
        if self._records is None:
            self._records = load_records(self.deployments_dir, self.network.name)
        return self._records.get(name)

    def batch(self) -> AbstractContextManager[Batch]:
        """``with port.batch() as b:`` queues the transactions the clients send inside the block (and ``b.send(...)``);
        leaving it estimates, signs and sends them together (JSON-RPC batches) and waits for every receipt. A client
        call inside returns a :class:`~portchain.transactions.PendingReceipt`: reading it waits for that
        transaction. See :meth:`portchain.transactions.TransactionLayer.batch`."""
        return self.layer.batch()

    # -- local-chain helpers -----------------------------------------------------------------------------------

    def fund(self, address: str, wei: int = 10**21) -> None:
        """Give ``address`` ether on a local development chain (Anvil's or Ganache's balance cheat code)."""
        if not self.network.local:
            raise ConfigurationError(f"funding by cheat code works only on a local network, not {self.network.name}")
        set_balance(self.layer, address, wei)

    def snapshot(self) -> str:
        """Take an EVM snapshot (local chains); :meth:`revert` returns to it."""
        return str(self.layer.request("evm_snapshot", []))

    def revert(self, snapshot_id: str) -> None:
        """Return the chain to ``snapshot_id`` and forget cached nonces."""
        if not self.layer.request("evm_revert", [snapshot_id]):
            raise PortchainError(f"snapshot {snapshot_id} could not be reverted")
        self.layer.reset_nonces()

    def close(self) -> None:
        """Stop the node this connection started, if any."""
        if self.node is not None:
            self.node.stop()
            self.node = None

    def __enter__(self) -> Port:
        return self

    def __exit__(self, *exc: object | TracebackType | None) -> None:
        self.close()


def connect(
    network: str = "anvil",
    *,
    rpc_url: str | None = None,
    deployments_dir: str | Path | None = None,
    state: str | Path | None = None,
    fresh_node: bool = False,
) -> Port:
    """Connect to ``network``. A local network with no RPC URL (or with ``fresh_node``) gets an Anvil node started
    for this connection and stopped when it closes."""
    net = get_network(network, rpc_url=rpc_url)
    if fresh_node and not net.local:
        raise ConfigurationError(f"a fresh node can only be started for a local network, not {net.name!r}")
    url = None if fresh_node else rpc_url or net.rpc_url
    node = None
    if url is None:
        node = AnvilNode.start(chain_id=net.chain_id, state=state)
        url = node.rpc_url
    layer = TransactionLayer(url, confirmations=net.confirmations)
    try:
        chain_id = layer.chain_id
        if chain_id != net.chain_id:
            raise ConfigurationError(
                f"the node at {layer.host()} is chain {chain_id}, but network {net.name!r} is chain {net.chain_id}"
            )
    except BaseException:
        if node is not None:
            node.stop()
        raise
    return Port(net, layer, node=node, deployments_dir=Path(deployments_dir) if deployments_dir else None)
