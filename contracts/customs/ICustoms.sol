// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IExportClearance} from "./IExportClearance.sol";
import {ITreasuries} from "./NominatedTreasuries.sol";

/// @title ICustoms
/// @notice Types, errors, events and the read side of customs declarations (WCO data model), tariffs and duties.
interface ICustoms is IExportClearance, ITreasuries {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    enum Kind {
        EXPORT,
        IMPORT
    }

    /// @notice Life of a declaration. REJECTED, SUPERSEDED and RELEASED are terminal.
    enum Status {
        NONE,
        LODGED,
        ACCEPTED,
        REJECTED,
        AMENDMENT_REQUIRED,
        SUPERSEDED,
        ASSESSED,
        PAID,
        RELEASED
    }

    /// @notice Risk lanes: GREEN releases on the documents, YELLOW needs a document check, RED a physical inspection.
    enum Lane {
        NONE,
        GREEN,
        YELLOW,
        RED
    }

    enum InspectionResult {
        NONE,
        PASSED,
        FAILED
    }

    /// @notice What is wrong with a declaration item.
    enum ItemField {
        HS_CODE,
        CUSTOMS_VALUE,
        ORIGIN
    }

    /// @notice One goods item: HS subheading (6 digits), customs value (CIF, in the jurisdiction's payment token
    /// units) and country of origin.
    struct Item {
        uint32 hsCode;
        uint96 customsValue;
        bytes2 origin;
    }

    /// @notice Everything about a declaration in one call.
    struct DeclarationView {
        Status status;
        Kind kind;
        Lane lane;
        InspectionResult inspection;
        uint32 declarant;
        bytes2 country;
        uint40 lodgedAt;
        uint8 itemCount;
        uint32 lodgedBlock;
        uint96 duty;
        uint96 vat;
        bytes32 supersededBy;
        address treasury;
        address token;
    }

    /*//////////////////////////////////////////////////////////////
                              CUSTOM ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice No declaration has this id.
    error UnknownDeclaration(bytes32 id);
    /// @notice The same declaration (same document, kind, jurisdiction and items) was lodged before.
    error DeclarationExists(bytes32 id);
    /// @notice The declaration's status does not allow this.
    error InvalidDeclarationStatus(bytes32 id, Status current);
    /// @notice A declaration needs 1 to 99 items.
    error InvalidItemCount(uint256 count);
    /// @notice An item is unusable.
    error InvalidItem(uint256 index, ItemField field);
    /// @notice The document hash is zero.
    error ZeroDocumentHash();
    /// @notice Declarations are lodged by a SHIPPER, CONSIGNEE or FORWARDER organisation.
    error NotADeclarant(uint32 actor);
    /// @notice Only the declarant may do this.
    error NotDeclarant(bytes32 id, uint32 actor, uint32 declarant);
    /// @notice The declarant already linked a live declaration of this kind to the bill.
    error BillAlreadyDeclared(bytes32 bill, Kind kind, bytes32 existing);
    /// @notice The lane must be GREEN, YELLOW or RED, assigned once.
    error InvalidLane(bytes32 id, Lane current, Lane requested);
    /// @notice Inspections are recorded on YELLOW and RED lanes only.
    error InspectionNotApplicable(bytes32 id, Lane lane);
    /// @notice The result must be PASSED or FAILED.
    error InvalidInspectionResult(InspectionResult result);
    /// @notice The lane's check has not passed yet.
    error CheckNotPassed(bytes32 id, Lane lane, InspectionResult inspection);
    /// @notice The items given do not belong to this declaration.
    error ItemsMismatch(bytes32 id);
    /// @notice No tariff rate is set for this HS subheading or its heading.
    error NoTariffRate(bytes2 country, uint32 hsCode);
    /// @notice No import VAT rate is set for this jurisdiction.
    error NoVatRate(bytes2 country);
    /// @notice No treasury is set for this jurisdiction.
    error NoTreasury(bytes2 country);
    /// @notice A rate in basis points must be at most 10,000 (100%).
    error InvalidRate(uint16 rateBps);
    /// @notice The bill is not linked to this declaration.
    error BillNotLinked(bytes32 bill, bytes32 id);

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A declaration was lodged. Its items are in the transaction's input and committed to by `id`
    /// (keccak256(documentHash, kind, country, items)); they are not repeated here, which would cost ~4,500 gas.
    event DeclarationLodged(
        bytes32 indexed id,
        bytes32 indexed bill,
        bytes32 indexed ucrHash,
        Kind kind,
        uint32 declarant,
        bytes2 country,
        bytes32 documentHash,
        uint8 itemCount
    );
    event DeclarationAccepted(bytes32 indexed id, uint32 customs);
    event DeclarationRejected(bytes32 indexed id, bytes32 reasonHash);
    event LaneAssigned(bytes32 indexed id, Lane lane);
    event InspectionRecorded(bytes32 indexed id, InspectionResult result, bytes32 reportHash);
    event AmendmentRequired(bytes32 indexed id, bytes32 reasonHash);
    /// @notice The declarant lodged an amended declaration in place of `id`.
    event DeclarationAmended(bytes32 indexed id, bytes32 replacement);
    event DutiesAssessed(bytes32 indexed id, uint96 duty, uint96 vat);
    event DutiesPaid(bytes32 indexed id, address payer, address treasury, address token, uint96 amount);
    event DeclarationReleased(bytes32 indexed id, uint32 customs);
    event TariffRateSet(bytes2 indexed country, uint32 hsCode, uint16 rateBps);
    event VatRateSet(bytes2 indexed country, uint16 rateBps);

    /*//////////////////////////////////////////////////////////////
                                 QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @notice Everything about declaration `id` (reverts `UnknownDeclaration`).
    function declarationOf(bytes32 id) external view returns (DeclarationView memory);

    /// @notice The declaration of `kind` that organisation `declarant` linked to `bill`, or zero.
    function declarationOfBill(bytes32 bill, Kind kind, uint32 declarant) external view returns (bytes32);
}
