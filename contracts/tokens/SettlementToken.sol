// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title SettlementToken
/// @notice A 6-decimal stablecoin stand-in for local chains (EIP-2612 permit), minted only by the faucet role.
/// @dev Deployed by portchain on local networks only; on a testnet or consortium chain the letters of credit use
/// whatever ERC-20 the network's configuration names.
contract SettlementToken is ERC20, ERC20Permit, AccessControl {
    /// @notice Role allowed to mint (the local faucet).
    bytes32 public constant FAUCET_ROLE = keccak256("portchain.token.FAUCET");

    /// @param name_ Token name, e.g. "Port Settlement USD".
    /// @param symbol_ Token symbol, e.g. "pUSD".
    /// @param admin Holds DEFAULT_ADMIN_ROLE and FAUCET_ROLE.
    constructor(string memory name_, string memory symbol_, address admin) ERC20(name_, symbol_) ERC20Permit(name_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(FAUCET_ROLE, admin);
    }

    /// @notice Six decimals, like the common fiat stablecoins.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mint `amount` to `to` (faucet only).
    function mint(address to, uint256 amount) external onlyRole(FAUCET_ROLE) {
        _mint(to, amount);
    }
}
