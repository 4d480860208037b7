// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ITreasuries
/// @notice A country's treasury (where duties are paid, or rebates are paid from), nominated by the country's
/// designated authority and in force only once the treasury itself accepts.
interface ITreasuries {
    /// @notice A treasury account, the ERC-20 token it receives or pays in, and the authority organisation that
    /// nominated it (the one it agreed to serve).
    struct Treasury {
        address account;
        address token;
        uint32 authority;
    }

    /// @notice A treasury must be a non-zero address and its token a deployed contract.
    error InvalidTreasury(address treasury, address token);
    /// @notice Only the address nominated as `country`'s treasury accepts that role.
    error NotNominatedTreasury(bytes2 country, address caller, address nominated);
    /// @notice The organisation that made the nomination is no longer `country`'s (active) authority.
    error NominationLapsed(bytes2 country, uint32 nominatedBy);

    /// @notice The authority of `country` nominated a treasury; it is in force once the treasury accepts.
    event TreasuryNominated(bytes2 indexed country, address treasury, address token, uint32 authority);
    /// @notice The nominated treasury accepted: from now on it is `country`'s treasury, serving `authority`.
    event TreasuryAccepted(bytes2 indexed country, address treasury, address token, uint32 authority);

    /// @notice The nominated treasury (the caller itself) accepts to be `country`'s treasury.
    function acceptTreasury(bytes2 country) external;

    /// @notice The treasury nominated for `country` that has not accepted yet (zero if none).
    function nominatedTreasuryOf(bytes2 country) external view returns (address treasury, address token);
}

/// @title NominatedTreasuries
/// @notice Nominate-then-accept for treasuries, shared by Customs (duties) and VatRebates (rebates): no authority can
/// make an address pay or receive for its country unless that address agreed in its own transaction, and only while
/// the nominating organisation is still the country's authority.
abstract contract NominatedTreasuries is ITreasuries {
    mapping(bytes2 country => Treasury) private _nominated;

    /// @inheritdoc ITreasuries
    function acceptTreasury(bytes2 country) external {
        Treasury memory nominated = _nominated[country];
        if (msg.sender != nominated.account || msg.sender == address(0)) {
            revert NotNominatedTreasury(country, msg.sender, nominated.account);
        }
        if (!_isAuthority(country, nominated.authority)) revert NominationLapsed(country, nominated.authority);
        delete _nominated[country];
        _treasuryAccepted(country, nominated);
        emit TreasuryAccepted(country, nominated.account, nominated.token, nominated.authority);
    }

    /// @inheritdoc ITreasuries
    function nominatedTreasuryOf(bytes2 country) external view returns (address treasury, address token) {
        Treasury memory t = _nominated[country];
        return (t.account, t.token);
    }

    /// @dev Record a nomination for `country` by its authority `authority` (the caller checked it is).
    function _nominateTreasury(bytes2 country, address treasury, address token, uint32 authority) internal {
        if (treasury == address(0) || token.code.length == 0) revert InvalidTreasury(treasury, token);
        _nominated[country] = Treasury(treasury, token, authority);
        emit TreasuryNominated(country, treasury, token, authority);
    }

    /// @dev Put an accepted treasury in force.
    function _treasuryAccepted(bytes2 country, Treasury memory treasury) internal virtual;

    /// @dev Whether `orgId` is `country`'s active designated authority (for this contract's role).
    function _isAuthority(bytes2 country, uint32 orgId) internal view virtual returns (bool);
}
