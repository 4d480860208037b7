"""Deploy the portchain suite: ``python scripts/deploy.py [NETWORK]`` (brownie-style ``main()`` too)."""

from __future__ import annotations

import sys

import portchain


def main(network: str = "anvil") -> portchain.Port:
    """Deploy (or reuse) the suite on ``network`` and return the connection (its node, if any, keeps running)."""
    port = portchain.connect(network)
    port.deploy(log=print)
    return port


if __name__ == "__main__":
    connection = main(sys.argv[1] if len(sys.argv) > 1 else "anvil")
    connection.close()
