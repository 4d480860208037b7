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
/// What the registrar can and cannot do: it onboards, suspends, reinstates and revokes organisations, sets their
/// roles and ports, and designates the one customs and one tax authority of each country. It cannot add a signing
/// address to an existing organisation (only the organisation's own signers do that), so it can never act as a
/// participant, and a contract organisation (the letter-of-credit escrow) has one fixed signer, the contract
/// itself, and can be neither suspended nor revoked: no registrar can take or freeze what the escrow holds.
///
/// Names and registration ids are stored only as hashes: no plaintext about a company goes on-chain.
///
/// Party codes: the registrar, who verifies identities, records the codes that identify each organisation in DCSA
/// documents (an LEI from GLEIF, an EORI, a DUNS number, an SMDG or NMFTA carrier code), again only as hashes
/// (`keccak256(abi.encode(string codeListProvider, string partyCode))`), so that the SDK finds the organisation a
/// transport document's party names. A code belongs to one organisation at most: another organisation cannot take
/// it until the registrar frees it (`removePartyCode`), and no organisation can claim a code itself. Codes of a
/// suspended or revoked organisation stay recorded (its documents keep naming it) until the registrar removes them.
contract PortRegistry is IPortRegistry, AccessControl {
    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Role of the consortium officers who onboard, suspend and revoke organisations.
    bytes32 public constant REGISTRAR_ROLE = keccak256("portchain.registry.REGISTRAR");

    /// @notice Signing addresses per organisation at most: status changes rewrite every signer's copy, and must fit
    /// in a block whatever an organisation does.
    uint256 public constant MAX_SIGNERS = 16;

    /// @dev One bit per participant role, in the order of `Role`; anything above is unknown.
    uint16 private constant _ALL_ROLES = uint16((1 << (uint8(type(Role).max) + 1)) - 1);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev The organisation's own record, one slot.
    struct OrgState {
        uint16 roles;
        Status status;
        bytes2 country;
        uint40 onboardedAt;
        bool isContract;
    }

    /// @dev A copy of its organisation's roles, status and country kept beside each signing address, so that
    /// "may this address act for an active organisation with role R?" costs one storage read. Every change of an
    /// organisation's roles or status rewrites the copies of its (few) signers.
    struct SignerRecord {
        uint32 orgId;
        uint16 roles;
        Status status;
        bytes2 country;
    }

    uint32 private _organisationCount;
    mapping(uint32 orgId => OrgState) private _orgs;
    mapping(uint32 orgId => bytes32) private _nameHashes;
    mapping(uint32 orgId => bytes32) private _registrationIdHashes;
    mapping(uint32 orgId => mapping(bytes5 port => bool)) private _operatesAt;
    mapping(uint32 orgId => address[]) private _signersOf;
    mapping(address signer => SignerRecord) private _signers;
    mapping(address signer => uint256 indexPlusOne) private _signerIndex;
    mapping(bytes2 country => mapping(Role role => uint32 orgId)) private _authorities;
    mapping(address signer => uint32 orgId) private _proposedSigners;
    mapping(bytes32 codeHash => uint32 orgId) private _partyCodes;

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

        orgId = _newOrganisation(nameHash, registrationIdHash, country, roles, false);
        for (uint256 i; i < ports.length; ++i) {
            _addPort(orgId, ports[i]);
        }
        for (uint256 i; i < signers.length; ++i) {
            _addSigner(orgId, signers[i]);
        }
        // The first customs and tax organisation of a country is its authority until the registrar designates another.
        for (uint8 r = uint8(Role.CUSTOMS); r <= uint8(Role.TAX); ++r) {
            if (roles & _bit(Role(r)) != 0 && _authorities[country][Role(r)] == 0) _designate(country, Role(r), orgId);
        }
    }

    /// @notice Onboard a contract (an escrow such as LetterOfCredit) as an organisation whose only signer is the
    /// contract itself: its signers never change and it can be neither suspended nor revoked, so nobody can act for
    /// it but its own code.
    /// @param account The deployed contract.
    function onboardContract(bytes32 nameHash, bytes2 country, uint16 roles, address account)
        external
        onlyRole(REGISTRAR_ROLE)
        returns (uint32 orgId)
    {
        if (nameHash == bytes32(0)) revert ZeroHash();
        _checkCountry(country);
        if (roles == 0 || roles & ~_ALL_ROLES != 0) revert InvalidRoles(roles);
        if (account.code.length == 0) revert NotAContract(account);
        orgId = _newOrganisation(nameHash, bytes32(uint256(uint160(account))), country, roles, true);
        _addSigner(orgId, account);
        emit ContractOrganisationOnboarded(orgId, account);
    }

    /// @notice Designate organisation `orgId` (active, holding `role`, of jurisdiction `country`) as the one authority
    /// for `role` in `country`: only it acts on that country's declarations, tariffs, treasuries or rebates.
    function designateAuthority(bytes2 country, Role role, uint32 orgId) external onlyRole(REGISTRAR_ROLE) {
        _requireActive(orgId);
        OrgState memory org = _orgs[orgId];
        if (org.roles & _bit(role) == 0) revert OrganisationLacksRole(orgId, role);
        if (org.country != country) revert InvalidCountry(country);
        _designate(country, role, orgId);
    }

    /// @notice An active organisation proposes a signing address: only one of its own signers may (never the
    /// registrar). The address signs for it once it accepts (`acceptSigner`) in its own transaction, so nobody can
    /// claim an address (a contract about to be deployed, another's key) as its signer.
    function addSigner(uint32 orgId, address signer) external {
        _requireOwnSigner(orgId);
        _requireActive(orgId);
        _requireNotContract(orgId);
        if (signer == address(0)) revert InvalidSigner(signer);
        uint32 current = _signers[signer].orgId;
        if (current != 0) revert SignerAlreadyRegistered(signer, current);
        _proposedSigners[signer] = orgId;
        emit SignerProposed(orgId, signer);
    }

    /// @notice The proposed address accepts to sign for organisation `orgId` (still active).
    function acceptSigner(uint32 orgId) external {
        if (_proposedSigners[msg.sender] != orgId || orgId == 0) revert NoSignerProposal(msg.sender, orgId);
        _requireActive(orgId);
        delete _proposedSigners[msg.sender];
        _addSigner(orgId, msg.sender);
    }

    /// @notice An organisation removes one of its signing addresses (a signer of the same organisation calls it,
    /// also while suspended, to clean out a compromised key); it keeps at least one.
    function removeSigner(address signer) external {
        uint32 orgId = _signers[signer].orgId;
        if (orgId == 0) revert NotASigner(signer);
        _requireOwnSigner(orgId);
        address[] storage list = _signersOf[orgId];
        if (list.length == 1) revert LastSigner(orgId, signer);
        uint256 index = _signerIndex[signer] - 1;
        address last = list[list.length - 1];
        list[index] = last;
        _signerIndex[last] = index + 1;
        list.pop();
        delete _signerIndex[signer];
        delete _signers[signer];
        emit SignerRemoved(orgId, signer);
    }

    /// @notice Replace an organisation's role set.
    function setRoles(uint32 orgId, uint16 roles) external onlyRole(REGISTRAR_ROLE) {
        _requireNotRevoked(orgId);
        _requireNotContract(orgId);
        if (roles == 0 || roles & ~_ALL_ROLES != 0) revert InvalidRoles(roles);
        _orgs[orgId].roles = roles;
        _syncSigners(orgId);
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

    /// @notice Record party codes (their hashes) that identify organisation `orgId` in DCSA documents. The
    /// organisation must not be revoked, nor a contract organisation (an escrow is no legal entity). A code the
    /// organisation already holds is skipped (no event), so a registrar may send the same list again.
    /// @param codeHashes At least one `keccak256(abi.encode(string codeListProvider, string partyCode))`, none zero
    /// and none held by another organisation.
    function addPartyCodes(uint32 orgId, bytes32[] calldata codeHashes) external onlyRole(REGISTRAR_ROLE) {
        _requireNotRevoked(orgId);
        _requireNotContract(orgId);
        if (codeHashes.length == 0) revert NoPartyCodes();
        for (uint256 i; i < codeHashes.length; ++i) {
            bytes32 codeHash = codeHashes[i];
            if (codeHash == bytes32(0)) revert ZeroHash();
            uint32 holder = _partyCodes[codeHash];
            if (holder == orgId) continue;
            if (holder != 0) revert PartyCodeTaken(codeHash, holder);
            _partyCodes[codeHash] = orgId;
            emit PartyCodeAdded(orgId, codeHash);
        }
    }

    /// @notice Free a party code (a lapsed or transferred LEI, a withdrawn carrier code): it names no organisation
    /// until the registrar records it again, for the same or another organisation. Works for any status.
    function removePartyCode(bytes32 codeHash) external onlyRole(REGISTRAR_ROLE) {
        uint32 holder = _partyCodes[codeHash];
        if (holder == 0) revert UnknownPartyCode(codeHash);
        delete _partyCodes[codeHash];
        emit PartyCodeRemoved(holder, codeHash);
    }

    /// @notice Suspend an active organisation: its signers stop acting for it until reinstated.
    /// @param reasonHash Hash of the suspension notice kept off-chain.
    function suspend(uint32 orgId, bytes32 reasonHash) external onlyRole(REGISTRAR_ROLE) {
        Status status = _statusOf(orgId);
        _requireNotContract(orgId);
        if (status != Status.ACTIVE) revert InvalidStatusTransition(orgId, status, Status.SUSPENDED);
        _orgs[orgId].status = Status.SUSPENDED;
        _syncSigners(orgId);
        emit OrganisationSuspended(orgId, reasonHash);
    }

    /// @notice Reinstate a suspended organisation.
    function reinstate(uint32 orgId) external onlyRole(REGISTRAR_ROLE) {
        Status status = _statusOf(orgId);
        if (status != Status.SUSPENDED) revert InvalidStatusTransition(orgId, status, Status.ACTIVE);
        _orgs[orgId].status = Status.ACTIVE;
        _syncSigners(orgId);
        emit OrganisationReinstated(orgId);
    }

    /// @notice Revoke an organisation for good. Its signers can never act again.
    /// @param reasonHash Hash of the revocation notice kept off-chain.
    function revoke(uint32 orgId, bytes32 reasonHash) external onlyRole(REGISTRAR_ROLE) {
        Status status = _statusOf(orgId);
        _requireNotContract(orgId);
        if (status == Status.REVOKED) revert InvalidStatusTransition(orgId, status, Status.REVOKED);
        _orgs[orgId].status = Status.REVOKED;
        _syncSigners(orgId);
        emit OrganisationRevoked(orgId, reasonHash);
    }

    /*//////////////////////////////////////////////////////////////
                               QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPortRegistry
    function requireActing(address account, Role role) external view returns (uint32 orgId) {
        orgId = _requireActing(account, role).orgId;
    }

    /// @inheritdoc IPortRegistry
    function requireActingIn(address account, Role role, bytes2 country) external view returns (uint32 orgId) {
        SignerRecord memory signer = _requireActing(account, role);
        orgId = signer.orgId;
        if (signer.country != country) revert OutsideJurisdiction(account, orgId, signer.country, country);
    }

    /// @inheritdoc IPortRegistry
    function requireAuthority(address account, Role role, bytes2 country) external view returns (uint32 orgId) {
        SignerRecord memory signer = _requireActing(account, role);
        orgId = signer.orgId;
        if (signer.country != country) revert OutsideJurisdiction(account, orgId, signer.country, country);
        _requireAuthority(orgId, role, country);
    }

    /// @inheritdoc IPortRegistry
    function requireOwnAuthority(address account, Role role) external view returns (uint32 orgId, bytes2 country) {
        SignerRecord memory signer = _requireActing(account, role);
        (orgId, country) = (signer.orgId, signer.country);
        _requireAuthority(orgId, role, country);
    }

    /// @inheritdoc IPortRegistry
    function contractOrganisationOf(address account) external view returns (uint32) {
        uint32 orgId = _signers[account].orgId;
        return _orgs[orgId].isContract ? orgId : 0;
    }

    /// @inheritdoc IPortRegistry
    function isContractOrganisation(uint32 orgId) external view returns (bool) {
        return _orgs[orgId].isContract;
    }

    /// @inheritdoc IPortRegistry
    function authorityOf(bytes2 country, Role role) external view returns (uint32) {
        return _authorities[country][role];
    }

    /// @inheritdoc IPortRegistry
    function requireActor(address account) external view returns (uint32 orgId, uint16 roles, bytes2 country) {
        SignerRecord memory signer = _requireActor(account);
        (orgId, roles, country) = (signer.orgId, signer.roles, signer.country);
    }

    /// @inheritdoc IPortRegistry
    function requireActorAndCounterparty(address account, uint32 counterparty) external view returns (uint32 orgId) {
        orgId = _requireActor(account).orgId;
        _requireActive(counterparty);
    }

    /// @inheritdoc IPortRegistry
    function requireActiveOrganisation(uint32 orgId) external view {
        _requireActive(orgId);
    }

    /// @inheritdoc IPortRegistry
    function statusOf(uint32 orgId) external view returns (Status) {
        return _orgs[orgId].status;
    }

    /// @inheritdoc IPortRegistry
    function requireOrganisationRole(uint32 orgId, Role role) external view {
        _requireActive(orgId);
        if (_orgs[orgId].roles & _bit(role) == 0) revert OrganisationLacksRole(orgId, role);
    }

    /// @inheritdoc IPortRegistry
    function isActing(address account, Role role) external view returns (bool) {
        SignerRecord memory signer = _signers[account];
        return signer.status == Status.ACTIVE && signer.roles & _bit(role) != 0;
    }

    /// @inheritdoc IPortRegistry
    function isActingIn(address account, Role role, bytes2 country) external view returns (bool) {
        SignerRecord memory signer = _signers[account];
        return signer.status == Status.ACTIVE && signer.roles & _bit(role) != 0 && signer.country == country;
    }

    /// @inheritdoc IPortRegistry
    function orgOf(address account) external view returns (uint32) {
        return _signers[account].orgId;
    }

    /// @inheritdoc IPortRegistry
    function operatesAt(uint32 orgId, bytes5 port) external view returns (bool) {
        return _operatesAt[orgId][port];
    }

    /// @inheritdoc IPortRegistry
    function orgOfPartyCode(bytes32 codeHash) external view returns (uint32) {
        return _partyCodes[codeHash];
    }

    /// @notice The organisation holding each party code (its hash), 0 for a code nobody holds: one call for all the
    /// codes a document's parties carry.
    function orgsOfPartyCodes(bytes32[] calldata codeHashes) external view returns (uint32[] memory orgIds) {
        orgIds = new uint32[](codeHashes.length);
        for (uint256 i; i < codeHashes.length; ++i) {
            orgIds[i] = _partyCodes[codeHashes[i]];
        }
    }

    /// @notice The signing addresses of an organisation.
    function signersOf(uint32 orgId) external view returns (address[] memory) {
        _statusOf(orgId);
        return _signersOf[orgId];
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
            signerCount: uint32(_signersOf[orgId].length)
        });
    }

    /// @notice Number of organisations ever onboarded (ids run from 1 to this).
    function organisationCount() external view returns (uint32) {
        return _organisationCount;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _newOrganisation(bytes32 nameHash, bytes32 registrationIdHash, bytes2 country, uint16 roles, bool isContract)
        private
        returns (uint32 orgId)
    {
        orgId = ++_organisationCount;
        _orgs[orgId] = OrgState({
            roles: roles,
            status: Status.ACTIVE,
            country: country,
            onboardedAt: uint40(block.timestamp),
            isContract: isContract
        });
        _nameHashes[orgId] = nameHash;
        _registrationIdHashes[orgId] = registrationIdHash;
        emit OrganisationOnboarded(orgId, nameHash, registrationIdHash, country, roles);
    }

    function _designate(bytes2 country, Role role, uint32 orgId) private {
        _authorities[country][role] = orgId;
        emit AuthorityDesignated(country, role, orgId);
    }

    function _requireAuthority(uint32 orgId, Role role, bytes2 country) private view {
        uint32 authority = _authorities[country][role];
        if (authority != orgId) revert NotTheAuthority(orgId, role, country, authority);
    }

    function _requireOwnSigner(uint32 orgId) private view {
        if (_signers[msg.sender].orgId != orgId || orgId == 0) revert NotASignerOf(msg.sender, orgId);
    }

    function _requireNotContract(uint32 orgId) private view {
        if (_orgs[orgId].isContract) revert ContractOrganisation(orgId);
    }

    function _requireActor(address account) private view returns (SignerRecord memory signer) {
        signer = _signers[account];
        if (signer.orgId == 0) revert NotASigner(account);
        if (signer.status != Status.ACTIVE) revert OrganisationNotActive(signer.orgId, signer.status);
    }

    function _requireActing(address account, Role role) private view returns (SignerRecord memory signer) {
        signer = _requireActor(account);
        if (signer.roles & _bit(role) == 0) revert MissingRole(account, signer.orgId, role);
    }

    function _addSigner(uint32 orgId, address signer) private {
        if (signer == address(0)) revert InvalidSigner(signer);
        uint32 current = _signers[signer].orgId;
        if (current != 0) revert SignerAlreadyRegistered(signer, current);
        if (_signersOf[orgId].length >= MAX_SIGNERS) revert TooManySigners(orgId, MAX_SIGNERS);
        OrgState memory org = _orgs[orgId];
        _signers[signer] = SignerRecord(orgId, org.roles, org.status, org.country);
        _signersOf[orgId].push(signer);
        _signerIndex[signer] = _signersOf[orgId].length;
        emit SignerAdded(orgId, signer);
    }

    /// @dev Rewrite the signers' copies after the organisation's roles or status changed.
    function _syncSigners(uint32 orgId) private {
        OrgState memory org = _orgs[orgId];
        address[] storage list = _signersOf[orgId];
        for (uint256 i; i < list.length; ++i) {
            _signers[list[i]] = SignerRecord(orgId, org.roles, org.status, org.country);
        }
    }

    function _addPort(uint32 orgId, bytes5 port) private {
        // UN/LOCODE: two-letter country, three letters or digits 2-9; checked in full by the SDK.
        if (uint8(port[0]) < 0x41 || uint8(port[0]) > 0x5A || uint8(port[1]) < 0x41 || uint8(port[1]) > 0x5A) {
            revert InvalidPort(port);
        }
        _operatesAt[orgId][port] = true;
        emit PortAdded(orgId, port);
    }

    function _requireActive(uint32 orgId) private view {
        Status status = _statusOf(orgId);
        if (status != Status.ACTIVE) revert OrganisationNotActive(orgId, status);
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
