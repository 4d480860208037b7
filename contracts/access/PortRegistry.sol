// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IPortRegistry} from "./IPortRegistry.sol";

/// @title PortRegistry
/// @notice The port consortium's register of participating organisations: their roles, their jurisdiction
/// (ISO 3166 country), the ports they operate at (UN/LOCODE) and the addresses that sign for them.
/// @dev Every other portchain contract asks it one question: is this address acting for an active organisation
/// with role R (in jurisdiction J)? `requireActing` / `requireActingIn` answer it and revert with a typed error.
///
/// Organisation lifecycle (one place, as the style guide asks):
///
///     (none) --onboard--> ACTIVE --suspend--> SUSPENDED --reinstate--> ACTIVE
///                          ACTIVE | SUSPENDED --revoke--> REVOKED (terminal)
///
/// Names and registration ids are stored only as hashes: no plaintext about a company goes on-chain.
contract PortRegistry is IPortRegistry, AccessControl {
    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role of the consortium officers who onboard, suspend and revoke organisations.
    bytes32 public constant REGISTRAR_ROLE = keccak256("portchain.registry.REGISTRAR");

    /// @dev One bit per participant role, in the order of `Role`; anything above is unknown.
    uint16 private constant _ALL_ROLES = uint16((1 << (uint8(type(Role).max) + 1)) - 1);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Packed into one slot: what every role check reads.
    struct OrgState {
        uint16 roles;
        Status status;
        bytes2 country;
        uint40 onboardedAt;
        uint32 signerCount;
    }

    uint32 private _organisationCount;
    mapping(uint32 orgId => OrgState) private _orgs;
    mapping(uint32 orgId => bytes32) private _nameHashes;
    mapping(uint32 orgId => bytes32) private _registrationIdHashes;
    mapping(uint32 orgId => mapping(bytes5 port => bool)) private _operatesAt;
    mapping(address signer => uint32 orgId) private _orgOfSigner;

    /*//////////////////////////////////////////////////////////////
                                CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin The consortium admin: holds DEFAULT_ADMIN_ROLE and REGISTRAR_ROLE.
    constructor(address admin) {
        if (admin == address(0)) revert InvalidSigner(admin);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                          REGISTRAR ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Onboard an organisation with its roles, jurisdiction, ports and first signing addresses.
    /// @param nameHash Hash of the organisation's legal name (never the name itself).
    /// @param registrationIdHash Hash of its company registration / EORI / tax id.
    /// @param country ISO 3166-1 alpha-2 code of its jurisdiction, e.g. "NL".
    /// @param roles Bit set of `Role`s (bit i = Role(i)).
    /// @param ports UN/LOCODEs of the ports it operates at, e.g. "NLRTM"; may be empty.
    /// @param signers At least one address that signs for it; each address belongs to one organisation only.
    /// @return orgId The new organisation's id (sequential, from 1).
    function onboard(
        bytes32 nameHash,
        bytes32 registrationIdHash,
        bytes2 country,
        uint16 roles,
        bytes5[] calldata ports,
        address[] calldata signers
    ) external onlyRole(REGISTRAR_ROLE) returns (uint32 orgId) {
        if (nameHash == bytes32(0)) revert ZeroHash();
        if (registrationIdHash == bytes32(0)) revert ZeroHash();
        _checkCountry(country);
        if (roles == 0 || roles & ~_ALL_ROLES != 0) revert InvalidRoles(roles);
        if (signers.length == 0) revert NoSigners();

        orgId = ++_organisationCount;
        _orgs[orgId] = OrgState({
            roles: roles,
            status: Status.ACTIVE,
            country: country,
            onboardedAt: uint40(block.timestamp),
            signerCount: 0
        });
        _nameHashes[orgId] = nameHash;
        _registrationIdHashes[orgId] = registrationIdHash;
        emit OrganisationOnboarded(orgId, nameHash, registrationIdHash, country, roles);

        for (uint256 i; i < ports.length; ++i) {
            _addPort(orgId, ports[i]);
        }
        for (uint256 i; i < signers.length; ++i) {
            _addSigner(orgId, signers[i]);
        }
    }

    /// @notice Add a signing address to an organisation that is not revoked.
    function addSigner(uint32 orgId, address signer) external onlyRole(REGISTRAR_ROLE) {
        _requireNotRevoked(orgId);
        _addSigner(orgId, signer);
    }

    /// @notice Remove a signing address; the organisation keeps its other signers.
    function removeSigner(address signer) external onlyRole(REGISTRAR_ROLE) {
        uint32 orgId = _orgOfSigner[signer];
        if (orgId == 0) revert NotASigner(signer);
        delete _orgOfSigner[signer];
        unchecked {
            // Cannot underflow: the signer was counted when it was added.
            --_orgs[orgId].signerCount;
        }
        emit SignerRemoved(orgId, signer);
    }

    /// @notice Replace an organisation's role set.
    function setRoles(uint32 orgId, uint16 roles) external onlyRole(REGISTRAR_ROLE) {
        _requireNotRevoked(orgId);
        if (roles == 0 || roles & ~_ALL_ROLES != 0) revert InvalidRoles(roles);
        _orgs[orgId].roles = roles;
        emit RolesChanged(orgId, roles);
    }

    /// @notice Add or remove a port (UN/LOCODE) an organisation operates at.
    function setPort(uint32 orgId, bytes5 port, bool operates) external onlyRole(REGISTRAR_ROLE) {
        _requireNotRevoked(orgId);
        if (operates) {
            _addPort(orgId, port);
        } else {
            _operatesAt[orgId][port] = false;
            emit PortRemoved(orgId, port);
        }
    }

    /// @notice Suspend an active organisation: its signers stop acting for it until reinstated.
    /// @param reasonHash Hash of the suspension notice kept off-chain.
    function suspend(uint32 orgId, bytes32 reasonHash) external onlyRole(REGISTRAR_ROLE) {
        Status status = _statusOf(orgId);
        if (status != Status.ACTIVE) revert InvalidStatusTransition(orgId, status, Status.SUSPENDED);
        _orgs[orgId].status = Status.SUSPENDED;
        emit OrganisationSuspended(orgId, reasonHash);
    }

    /// @notice Reinstate a suspended organisation.
    function reinstate(uint32 orgId) external onlyRole(REGISTRAR_ROLE) {
        Status status = _statusOf(orgId);
        if (status != Status.SUSPENDED) revert InvalidStatusTransition(orgId, status, Status.ACTIVE);
        _orgs[orgId].status = Status.ACTIVE;
        emit OrganisationReinstated(orgId);
    }

    /// @notice Revoke an organisation for good. Its signers can never act again.
    /// @param reasonHash Hash of the revocation notice kept off-chain.
    function revoke(uint32 orgId, bytes32 reasonHash) external onlyRole(REGISTRAR_ROLE) {
        Status status = _statusOf(orgId);
        if (status == Status.REVOKED) revert InvalidStatusTransition(orgId, status, Status.REVOKED);
        _orgs[orgId].status = Status.REVOKED;
        emit OrganisationRevoked(orgId, reasonHash);
    }

    /*//////////////////////////////////////////////////////////////
                               QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPortRegistry
    function requireActing(address account, Role role) external view returns (uint32 orgId) {
        (orgId,) = _requireActing(account, role);
    }

    /// @inheritdoc IPortRegistry
    function requireActingIn(address account, Role role, bytes2 country) external view returns (uint32 orgId) {
        bytes2 orgCountry;
        (orgId, orgCountry) = _requireActing(account, role);
        if (orgCountry != country) revert OutsideJurisdiction(account, orgId, orgCountry, country);
    }

    /// @inheritdoc IPortRegistry
    function isActing(address account, Role role) external view returns (bool) {
        OrgState memory org = _orgs[_orgOfSigner[account]];
        return org.status == Status.ACTIVE && org.roles & _bit(role) != 0;
    }

    /// @inheritdoc IPortRegistry
    function isActingIn(address account, Role role, bytes2 country) external view returns (bool) {
        OrgState memory org = _orgs[_orgOfSigner[account]];
        return org.status == Status.ACTIVE && org.roles & _bit(role) != 0 && org.country == country;
    }

    /// @inheritdoc IPortRegistry
    function orgOf(address account) external view returns (uint32) {
        return _orgOfSigner[account];
    }

    /// @inheritdoc IPortRegistry
    function operatesAt(uint32 orgId, bytes5 port) external view returns (bool) {
        return _operatesAt[orgId][port];
    }

    /// @notice Everything the registry holds about one organisation, in one call.
    function organisation(uint32 orgId) external view returns (Organisation memory org) {
        OrgState memory state = _orgs[orgId];
        if (state.status == Status.NONE) revert UnknownOrganisation(orgId);
        org = Organisation({
            nameHash: _nameHashes[orgId],
            registrationIdHash: _registrationIdHashes[orgId],
            country: state.country,
            roles: state.roles,
            status: state.status,
            onboardedAt: state.onboardedAt,
            signerCount: state.signerCount
        });
    }

    /// @notice Number of organisations ever onboarded (ids run from 1 to this).
    function organisationCount() external view returns (uint32) {
        return _organisationCount;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _requireActing(address account, Role role) private view returns (uint32 orgId, bytes2 country) {
        orgId = _orgOfSigner[account];
        if (orgId == 0) revert NotASigner(account);
        OrgState memory org = _orgs[orgId];
        if (org.status != Status.ACTIVE) revert OrganisationNotActive(orgId, org.status);
        if (org.roles & _bit(role) == 0) revert MissingRole(account, orgId, role);
        country = org.country;
    }

    function _addSigner(uint32 orgId, address signer) private {
        if (signer == address(0)) revert InvalidSigner(signer);
        uint32 current = _orgOfSigner[signer];
        if (current != 0) revert SignerAlreadyRegistered(signer, current);
        _orgOfSigner[signer] = orgId;
        ++_orgs[orgId].signerCount;
        emit SignerAdded(orgId, signer);
    }

    function _addPort(uint32 orgId, bytes5 port) private {
        // UN/LOCODE: two-letter country, three letters or digits 2-9; checked in full by the SDK.
        if (uint8(port[0]) < 0x41 || uint8(port[0]) > 0x5A || uint8(port[1]) < 0x41 || uint8(port[1]) > 0x5A) {
            revert InvalidPort(port);
        }
        _operatesAt[orgId][port] = true;
        emit PortAdded(orgId, port);
    }

    function _requireNotRevoked(uint32 orgId) private view {
        Status status = _statusOf(orgId);
        if (status == Status.REVOKED) revert OrganisationNotActive(orgId, status);
    }

    function _statusOf(uint32 orgId) private view returns (Status status) {
        status = _orgs[orgId].status;
        if (status == Status.NONE) revert UnknownOrganisation(orgId);
    }

    function _checkCountry(bytes2 country) private pure {
        if (uint8(country[0]) < 0x41 || uint8(country[0]) > 0x5A || uint8(country[1]) < 0x41 || uint8(country[1]) > 0x5A) {
            revert InvalidCountry(country);
        }
    }

    function _bit(Role role) private pure returns (uint16) {
        return uint16(1) << uint8(role);
    }
}
