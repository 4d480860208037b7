// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPortRegistry} from "../access/IPortRegistry.sol";
import {IBillOfLading} from "../documents/IBillOfLading.sol";
import {ICustoms} from "./ICustoms.sol";

/// @title CargoRelease
/// @notice Contactless container release at the terminal gate (as in Antwerp's secure container release): the
/// PORT_OPERATOR issues a one-time pick-up authorisation for a container, stored as a hash of the container number
/// and a secret code that reaches the haulier off-chain; at the gate the code is checked and spent.
/// @dev Authorised only for cargo customs released under an import declaration that the party which surrendered
/// the bill with title (and whose surrender the carrier accepted) lodged and linked to that bill. Each terminal
/// keeps its own pick-ups (keyed by operator and code hash), so no other terminal can take or block a code, and a
/// container has at most one live code per terminal.
/// Pick-up life: authorise -> AUTHORISED --verify at the gate--> USED (a code works once)
///                                       --revoke (the terminal)--> REVOKED (a new code may be issued).
contract CargoRelease {
    /*//////////////////////////////////////////////////////////////
                              CUSTOM ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Customs has not released the import declaration.
    error CargoNotReleased(bytes32 declaration, ICustoms.Status status);
    /// @notice The import declaration is not the one its declarant linked to the bill, or its declarant is not
    /// the receiver: the party that surrendered the bill with title.
    error DeclarationNotOfReceiver(bytes32 bill, bytes32 declaration);
    /// @notice The container has a live (unused) pick-up code at this terminal already.
    error ContainerAlreadyAuthorised(bytes11 container, bytes32 codeHash);
    /// @notice This terminal released the container under this declaration (and so this bill) already.
    error ContainerAlreadyReleased(bytes32 declaration, bytes11 container);
    /// @notice The bill's surrender for delivery was not accepted (it is not accomplished).
    error BillNotSurrendered(bytes32 bill, IBillOfLading.State state);
    /// @notice This code hash is authorised already.
    error PickupAlreadyAuthorised(bytes32 codeHash);
    /// @notice No pick-up is authorised for this container and code.
    error UnknownPickup(bytes32 codeHash);
    /// @notice The code was used already.
    error PickupAlreadyUsed(bytes32 codeHash, uint40 usedAt);
    /// @notice The container number or code hash is zero.
    error InvalidPickup();

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A pick-up was authorised for `container` under `declaration`.
    event PickupAuthorised(bytes32 indexed codeHash, bytes32 indexed declaration, bytes11 container, uint32 operator);
    /// @notice The container left the terminal: its code was presented and spent.
    event ContainerReleased(bytes32 indexed codeHash, bytes32 indexed declaration, bytes11 container, uint32 gate);
    /// @notice The terminal withdrew an unused code (lost, or sent to the wrong haulier).
    event PickupRevoked(bytes32 indexed codeHash, bytes11 container, uint32 operator);

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Pickup {
        bytes11 container;
        uint32 operator;
        uint40 authorisedAt;
        uint40 usedAt;
    }

    IPortRegistry public immutable registry;
    ICustoms public immutable customs;
    IBillOfLading public immutable billOfLading;

    mapping(uint32 operator => mapping(bytes32 codeHash => Pickup)) private _pickups;
    mapping(uint32 operator => mapping(bytes32 codeHash => bytes32 declaration)) private _declarations;
    mapping(uint32 operator => mapping(bytes11 container => bytes32 codeHash)) private _liveCode;
    /// @dev Per terminal: keccak256(declaration, container) of every container it let out, so it never does so
    /// twice (a released declaration stays the one its declarant linked to the bill).
    mapping(uint32 operator => mapping(bytes32 declarationContainer => bool)) private _gatedOut;

    constructor(IPortRegistry registry_, ICustoms customs_, IBillOfLading billOfLading_) {
        registry = registry_;
        customs = customs_;
        billOfLading = billOfLading_;
    }

    /// @notice The port operator authorises one pick-up of `container` (ISO 6346, 11 ASCII characters).
    /// @param codeHash keccak256(abi.encodePacked(container, code)) for a secret `code` sent to the haulier.
    function authorise(bytes32 declaration, bytes32 bill, bytes11 container, bytes32 codeHash) external {
        if (container == bytes11(0) || codeHash == bytes32(0)) revert InvalidPickup();
        ICustoms.DeclarationView memory decl = customs.declarationOf(declaration);
        uint32 operator = registry.requireActingIn(msg.sender, IPortRegistry.Role.PORT_OPERATOR, decl.country);
        if (decl.kind != ICustoms.Kind.IMPORT || decl.status != ICustoms.Status.RELEASED) {
            revert CargoNotReleased(declaration, decl.status);
        }
        if (customs.declarationOfBill(bill, ICustoms.Kind.IMPORT, decl.declarant) != declaration) {
            revert DeclarationNotOfReceiver(bill, declaration);
        }
        IBillOfLading.BillStatus memory status = billOfLading.statusOf(bill);
        if (status.state != IBillOfLading.State.ACCOMPLISHED) revert BillNotSurrendered(bill, status.state);
        // The goods go to the party that surrendered the bill with title, and to nobody else.
        if (decl.declarant != status.previousHolder) revert DeclarationNotOfReceiver(bill, declaration);
        if (_pickups[operator][codeHash].authorisedAt != 0) revert PickupAlreadyAuthorised(codeHash);
        bytes32 live = _liveCode[operator][container];
        if (live != bytes32(0)) revert ContainerAlreadyAuthorised(container, live);
        if (_gatedOut[operator][keccak256(abi.encode(declaration, container))]) {
            revert ContainerAlreadyReleased(declaration, container);
        }
        _pickups[operator][codeHash] = Pickup(container, operator, uint40(block.timestamp), 0);
        _declarations[operator][codeHash] = declaration;
        _liveCode[operator][container] = codeHash;
        emit PickupAuthorised(codeHash, declaration, container, operator);
    }

    /// @notice At the gate: check the haulier's code for `container` and spend it. Only the terminal that
    /// authorised the code finds it.
    function verify(bytes11 container, bytes32 code) external {
        bytes32 codeHash = keccak256(abi.encodePacked(container, code));
        uint32 gate = registry.requireActing(msg.sender, IPortRegistry.Role.PORT_OPERATOR);
        Pickup memory pickup = _pickups[gate][codeHash];
        if (pickup.authorisedAt == 0) revert UnknownPickup(codeHash);
        if (pickup.usedAt != 0) revert PickupAlreadyUsed(codeHash, pickup.usedAt);
        _pickups[gate][codeHash].usedAt = uint40(block.timestamp);
        delete _liveCode[gate][container];
        bytes32 declaration = _declarations[gate][codeHash];
        _gatedOut[gate][keccak256(abi.encode(declaration, container))] = true;
        emit ContainerReleased(codeHash, declaration, container, gate);
    }

    /// @notice The terminal withdraws an unused code, so that a new one may be issued for the container.
    function revoke(bytes32 codeHash) external {
        uint32 operator = registry.requireActing(msg.sender, IPortRegistry.Role.PORT_OPERATOR);
        Pickup memory pickup = _pickups[operator][codeHash];
        if (pickup.authorisedAt == 0) revert UnknownPickup(codeHash);
        if (pickup.usedAt != 0) revert PickupAlreadyUsed(codeHash, pickup.usedAt);
        _pickups[operator][codeHash].usedAt = type(uint40).max;
        delete _liveCode[operator][pickup.container];
        emit PickupRevoked(codeHash, pickup.container, operator);
    }

    /// @notice A pick-up of terminal `operator` by its code hash: container, when authorised and when used (0 if
    /// not yet; 2^40 - 1 if revoked).
    function pickupOf(uint32 operator, bytes32 codeHash) external view returns (Pickup memory pickup, bytes32 declaration) {
        pickup = _pickups[operator][codeHash];
        if (pickup.authorisedAt == 0) revert UnknownPickup(codeHash);
        declaration = _declarations[operator][codeHash];
    }
}
