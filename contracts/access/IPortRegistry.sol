// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IPortRegistry
/// @notice What the other portchain contracts need from the participant registry, plus its types, errors and events.
interface IPortRegistry {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Participant roles. An organisation holds a bit set of them (bit i = Role(i)).
    enum Role {
        CARRIER,
        SHIPPER,
        CONSIGNEE,
        BANK,
        CUSTOMS,
        TAX,
        PORT_OPERATOR,
        FORWARDER,
        INSURER,
        INSPECTOR
    }

    /// @notice Organisation status; NONE means never onboarded.
    enum Status {
        NONE,
        ACTIVE,
        SUSPENDED,
        REVOKED
    }

    /// @notice One organisation as `organisation(orgId)` returns it.
    struct Organisation {
        bytes32 nameHash;
        bytes32 registrationIdHash;
        bytes2 country;
        uint16 roles;
        Status status;
        uint40 onboardedAt;
        uint32 signerCount;
    }

    /*//////////////////////////////////////////////////////////////
                              CUSTOM ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A hash that must identify an off-chain record was zero.
    error ZeroHash();
    /// @notice The country is not two upper-case ASCII letters (ISO 3166-1 alpha-2).
    error InvalidCountry(bytes2 country);
    /// @notice The port is not a UN/LOCODE (two-letter country then three characters).
    error InvalidPort(bytes5 port);
    /// @notice The role set is empty or names a role that does not exist.
    error InvalidRoles(uint16 roles);
    /// @notice An organisation must be onboarded with at least one signing address.
    error NoSigners();
    /// @notice The zero address cannot sign for an organisation.
    error InvalidSigner(address signer);
    /// @notice The address already signs for an organisation.
    error SignerAlreadyRegistered(address signer, uint32 orgId);
    /// @notice No organisation has this id.
    error UnknownOrganisation(uint32 orgId);
    /// @notice The organisation cannot move from its current status to the one asked for.
    error InvalidStatusTransition(uint32 orgId, Status current, Status requested);
    /// @notice The address signs for no organisation.
    error NotASigner(address account);
    /// @notice The address's organisation is suspended or revoked.
    error OrganisationNotActive(uint32 orgId, Status status);
    /// @notice The address's organisation does not hold the role.
    error MissingRole(address account, uint32 orgId, Role role);
    /// @notice The organisation does not hold the role.
    error OrganisationLacksRole(uint32 orgId, Role role);
    /// @notice The address's organisation has a different jurisdiction than the one the action needs.
    error OutsideJurisdiction(address account, uint32 orgId, bytes2 orgCountry, bytes2 requiredCountry);
    /// @notice The address's organisation is not the designated authority for `role` in `country` (another
    /// organisation of the same role and country is, or none is designated).
    error NotTheAuthority(uint32 orgId, Role role, bytes2 country, uint32 authority);
    /// @notice Only a signer of the organisation itself manages its signers.
    error NotASignerOf(address account, uint32 orgId);
    /// @notice An organisation keeps at least one signer.
    error LastSigner(uint32 orgId, address signer);
    /// @notice A contract organisation (an escrow) has fixed signers and cannot be suspended, revoked or changed.
    error ContractOrganisation(uint32 orgId);
    /// @notice A contract organisation's signer must be a deployed contract.
    error NotAContract(address account);
    /// @notice Nobody proposed this address as a signer of that organisation.
    error NoSignerProposal(address account, uint32 orgId);
    /// @notice An organisation has at most `max` signers (so that suspending or revoking it always fits a block).
    error TooManySigners(uint32 orgId, uint256 max);
    /// @notice `addPartyCodes` was given no code.
    error NoPartyCodes();
    /// @notice The party code (its hash) is already registered to another organisation, `orgId`: a code names one
    /// organisation at most, so the registrar frees it (`removePartyCode`) before another can hold it.
    error PartyCodeTaken(bytes32 codeHash, uint32 orgId);
    /// @notice No organisation holds this party code (its hash).
    error UnknownPartyCode(bytes32 codeHash);

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An organisation was onboarded.
    event OrganisationOnboarded(
        uint32 indexed orgId, bytes32 nameHash, bytes32 registrationIdHash, bytes2 country, uint16 roles
    );
    /// @notice An address was authorised to sign for an organisation.
    event SignerAdded(uint32 indexed orgId, address indexed signer);
    /// @notice A signer of the organisation proposed a new signing address; it signs once it accepts.
    event SignerProposed(uint32 indexed orgId, address indexed signer);
    /// @notice An address stopped signing for an organisation.
    event SignerRemoved(uint32 indexed orgId, address indexed signer);
    /// @notice An organisation's role set was replaced.
    event RolesChanged(uint32 indexed orgId, uint16 roles);
    /// @notice An organisation now operates at a port.
    event PortAdded(uint32 indexed orgId, bytes5 port);
    /// @notice An organisation no longer operates at a port.
    event PortRemoved(uint32 indexed orgId, bytes5 port);
    /// @notice An organisation was suspended.
    event OrganisationSuspended(uint32 indexed orgId, bytes32 reasonHash);
    /// @notice A suspended organisation was reinstated.
    event OrganisationReinstated(uint32 indexed orgId);
    /// @notice An organisation was revoked for good.
    event OrganisationRevoked(uint32 indexed orgId, bytes32 reasonHash);
    /// @notice Organisation `orgId` is now the authority for `role` in `country` (customs, tax).
    event AuthorityDesignated(bytes2 indexed country, Role role, uint32 orgId);
    /// @notice A contract was onboarded as an organisation of its own (an escrow); its signer never changes.
    event ContractOrganisationOnboarded(uint32 indexed orgId, address account);
    /// @notice Organisation `orgId` now holds the party code hashed to `codeHash` (an LEI, an EORI, a carrier code).
    event PartyCodeAdded(uint32 indexed orgId, bytes32 indexed codeHash);
    /// @notice Organisation `orgId` no longer holds the party code hashed to `codeHash`; the code is free.
    event PartyCodeRemoved(uint32 indexed orgId, bytes32 indexed codeHash);

    /*//////////////////////////////////////////////////////////////
                                 QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @notice Revert unless `account` signs for an active organisation holding `role`.
    /// @return orgId The organisation `account` acts for.
    function requireActing(address account, Role role) external view returns (uint32 orgId);

    /// @notice Revert unless `account` signs for an active organisation holding `role` in jurisdiction `country`.
    /// @return orgId The organisation `account` acts for.
    function requireActingIn(address account, Role role, bytes2 country) external view returns (uint32 orgId);

    /// @notice Revert unless `account` signs for the active organisation designated as the authority for `role` in
    /// `country` (`OutsideJurisdiction` for another country's, `NotTheAuthority` for a second one of the country).
    /// @return orgId The organisation `account` acts for.
    function requireAuthority(address account, Role role, bytes2 country) external view returns (uint32 orgId);

    /// @notice Revert unless `account` signs for the designated authority for `role` of its own jurisdiction.
    /// @return orgId The organisation `account` acts for.
    /// @return country Its jurisdiction.
    function requireOwnAuthority(address account, Role role) external view returns (uint32 orgId, bytes2 country);

    /// @notice The organisation `account` signs for if it is a contract organisation (an escrow), else 0.
    function contractOrganisationOf(address account) external view returns (uint32);

    /// @notice Whether organisation `orgId` is a contract organisation (an escrow with a fixed signer).
    function isContractOrganisation(uint32 orgId) external view returns (bool);

    /// @notice The organisation designated as the authority for `role` in `country`, or 0.
    function authorityOf(bytes2 country, Role role) external view returns (uint32);

    /// @notice Revert unless `account` signs for an active organisation; return it with its roles and country.
    function requireActor(address account) external view returns (uint32 orgId, uint16 roles, bytes2 country);

    /// @notice Revert unless `account` signs for an active organisation and `counterparty` is active too.
    /// @dev One call for the common "act towards another organisation" check (transfers, endorsements).
    /// @return orgId The organisation `account` acts for.
    function requireActorAndCounterparty(address account, uint32 counterparty) external view returns (uint32 orgId);

    /// @notice Revert unless organisation `orgId` exists and is active.
    function requireActiveOrganisation(uint32 orgId) external view;

    /// @notice The status of organisation `orgId` (NONE if it does not exist).
    function statusOf(uint32 orgId) external view returns (Status);

    /// @notice Revert unless organisation `orgId` exists, is active and holds `role`.
    function requireOrganisationRole(uint32 orgId, Role role) external view;

    /// @notice Whether `account` signs for an active organisation holding `role`.
    function isActing(address account, Role role) external view returns (bool);

    /// @notice Whether `account` signs for an active organisation holding `role` in jurisdiction `country`.
    function isActingIn(address account, Role role, bytes2 country) external view returns (bool);

    /// @notice The organisation `account` signs for, or 0.
    function orgOf(address account) external view returns (uint32);

    /// @notice Whether organisation `orgId` operates at port `port` (UN/LOCODE).
    function operatesAt(uint32 orgId, bytes5 port) external view returns (bool);

    /// @notice The organisation that holds the party code hashed to `codeHash`, or 0. The code's hash is
    /// `keccak256(abi.encode(string codeListProvider, string partyCode))`, e.g. ("GLEIF", an LEI). A revoked or
    /// suspended organisation keeps its codes until the registrar removes them: check its status.
    function orgOfPartyCode(bytes32 codeHash) external view returns (uint32);
}
