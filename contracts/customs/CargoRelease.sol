// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPortRegistry} from "../access/IPortRegistry.sol";
import {IBillOfLading} from "../documents/IBillOfLading.sol";
import {ICustoms} from "./ICustoms.sol";

/// @title CargoRelease
/// @notice Contactless container release at the terminal gate (as in Antwerp's secure container release): the
/// PORT_OPERATOR issues a one-time pick-up authorisation for a container, stored as a hash of the container number
/// and a secret code that reaches the haulier off-chain; at the gate the code is checked and spent.
/// @dev Authorised only for cargo customs released under an import declaration linked to a bill whose surrender
/// the carrier accepted. Pick-up life: authorise -> AUTHORISED --verify at the gate--> USED (a code works once).
contract CargoRelease {
    /*//////////////////////////////////////////////////////////////
                              CUSTOM ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Customs has not released the import declaration.
    error CargoNotReleased(bytes32 declaration, ICustoms.Status status);
    /// @notice The import declaration is not the one its declarant linked to the bill, or its declarant is
    /// not the bill's consignee or the party that surrendered it.
    error BillNotLinked(bytes32 bill, bytes32 declaration);
    /// @notice Only the terminal that authorised a pick-up releases the container.
    error NotAuthorisingTerminal(bytes32 codeHash, uint32 operator, uint32 gate);
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

    mapping(bytes32 codeHash => Pickup) private _pickups;
    mapping(bytes32 codeHash => bytes32 declaration) private _declarations;

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
            revert BillNotLinked(bill, declaration);
        }
        IBillOfLading.BillStatus memory status = billOfLading.statusOf(bill);
        if (status.state != IBillOfLading.State.ACCOMPLISHED) revert BillNotSurrendered(bill, status.state);
        // The goods go to whoever took delivery: the party that surrendered the bill, or its named consignee.
        if (decl.declarant != status.previousHolder && decl.declarant != status.consignee) {
            revert BillNotLinked(bill, declaration);
        }
        if (_pickups[codeHash].authorisedAt != 0) revert PickupAlreadyAuthorised(codeHash);
        _pickups[codeHash] = Pickup(container, operator, uint40(block.timestamp), 0);
        _declarations[codeHash] = declaration;
        emit PickupAuthorised(codeHash, declaration, container, operator);
    }

    /// @notice At the gate: check the haulier's code for `container` and spend it.
    function verify(bytes11 container, bytes32 code) external {
        bytes32 codeHash = keccak256(abi.encodePacked(container, code));
        Pickup memory pickup = _pickups[codeHash];
        if (pickup.authorisedAt == 0) revert UnknownPickup(codeHash);
        bytes32 declaration = _declarations[codeHash];
        uint32 gate = registry.requireActingIn(
            msg.sender, IPortRegistry.Role.PORT_OPERATOR, customs.declarationOf(declaration).country
        );
        if (gate != pickup.operator) revert NotAuthorisingTerminal(codeHash, pickup.operator, gate);
        if (pickup.usedAt != 0) revert PickupAlreadyUsed(codeHash, pickup.usedAt);
        _pickups[codeHash].usedAt = uint40(block.timestamp);
        emit ContainerReleased(codeHash, declaration, container, gate);
    }

    /// @notice A pick-up by its code hash: container, operator, when authorised and when used (0 if not yet).
    function pickupOf(bytes32 codeHash) external view returns (Pickup memory pickup, bytes32 declaration) {
        pickup = _pickups[codeHash];
        if (pickup.authorisedAt == 0) revert UnknownPickup(codeHash);
        declaration = _declarations[codeHash];
    }
}
