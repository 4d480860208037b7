// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPortRegistry} from "../access/IPortRegistry.sol";
import {ICustoms} from "./ICustoms.sol";
import {IExportClearance} from "./IExportClearance.sol";
import {NominatedTreasuries} from "./NominatedTreasuries.sol";

/// @title Customs
/// @notice Export and import declarations (WCO data model), the customs authorities' tariffs, import VAT, duties
/// paid on-chain, and release. Only the designated CUSTOMS authority of a declaration's jurisdiction acts on it
/// (`IPortRegistry.requireAuthority`); only the designated TAX authority of a jurisdiction sets its VAT rate.
/// Duties go to a treasury the customs authority nominates and the treasury itself accepts; an assessment fixes
/// the treasury and token it is paid to, so nobody can redirect duties between assessment and payment.
/// @dev Declaration life:
///
///     lodge (declarant) -> LODGED --accept--> ACCEPTED --assignLane--> GREEN | YELLOW | RED
///     YELLOW | RED --recordInspection--> PASSED | FAILED
///     ACCEPTED --requireAmendment--> AMENDMENT_REQUIRED --amend (declarant, new document)--> SUPERSEDED,
///         and the amended declaration starts ACCEPTED on the same lane
///     import: ACCEPTED (GREEN, or check PASSED) --assess--> ASSESSED --pay--> PAID --release--> RELEASED
///     export: ACCEPTED (GREEN, or check PASSED) --release--> RELEASED (cleared: the carrier may ship)
///     LODGED | ACCEPTED | AMENDMENT_REQUIRED | ASSESSED --reject--> REJECTED
///
/// A declaration's id is keccak256(documentHash, kind, country, declarant, items), so the id itself commits to
/// the items the declarant lodged (and a copied lodging is another declarant's, another id): the assessment re-supplies them and the contract checks them against the id. Only the
/// lifecycle record is stored (one slot); the items travel in the lodging event.
///
/// Duties, in integer token units, rounded half up: duty = sum over items of round(value x rate / 10,000) with the
/// rate of the item's HS subheading, else of its 4-digit heading; import VAT = round((sum of values + duty) x VAT
/// rate / 10,000). Exports carry neither.
contract Customs is ICustoms, NominatedTreasuries, ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint16 private constant _BPS = 10_000;
    uint256 private constant _MAX_ITEMS = 99;
    uint32 private constant _MAX_HS_CODE = 999_999;
    uint16 private constant _DECLARANT_ROLES = uint16(
        (1 << uint8(IPortRegistry.Role.SHIPPER)) | (1 << uint8(IPortRegistry.Role.CONSIGNEE))
            | (1 << uint8(IPortRegistry.Role.FORWARDER))
    );

    /// @notice The participant registry.
    IPortRegistry public immutable registry;

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One slot per declaration.
    struct Record {
        Status status;
        Kind kind;
        Lane lane;
        InspectionResult inspection;
        uint32 declarant;
        bytes2 country;
        uint40 lodgedAt;
        uint8 itemCount;
        uint32 lodgedBlock;
    }

    /// @dev One slot: the amounts and the treasury (index into `_treasuryList`, + 1) fixed when assessed.
    struct Assessment {
        uint96 duty;
        uint96 vat;
        uint32 treasury;
    }

    mapping(bytes32 id => Record) private _records;
    mapping(bytes32 id => Assessment) private _assessments;
    mapping(bytes32 id => bytes32 replacement) private _supersededBy;
    /// @dev Links are per declarant: a declaration some other organisation links to a bill never blocks the
    /// bill's own parties (the export check asks for the shipper's, the gate for the receiver's).
    mapping(bytes32 bill => mapping(Kind kind => mapping(uint32 declarant => bytes32 id))) private _ofBill;
    /// @dev Rate + 1 (0 = not set), keyed by digits << 24 | code (digits 4: heading, 6: subheading).
    mapping(bytes2 country => mapping(uint32 key => uint24 rate)) private _tariff;
    mapping(bytes2 country => uint24 rate) private _vat;
    /// @dev Every treasury ever accepted, never changed once written; countries point at their current one (+ 1).
    Treasury[] private _treasuryList;
    mapping(bytes2 country => uint32 indexPlusOne) private _treasuries;

    constructor(IPortRegistry registry_) {
        registry = registry_;
    }

    /*//////////////////////////////////////////////////////////////
                                DECLARANT
    //////////////////////////////////////////////////////////////*/

    /// @notice Lodge a declaration with the customs of `country`.
    /// @param documentHash Hash of the declaration document (kept off-chain).
    /// @param ucrHash Hash of the Unique Consignment Reference, indexed for look-ups.
    /// @param bill The linked bill of lading's id, or zero.
    /// @return id The declaration's id.
    function lodge(
        Kind kind,
        bytes2 country,
        bytes32 documentHash,
        bytes32 ucrHash,
        bytes32 bill,
        Item[] calldata items
    ) external returns (bytes32 id) {
        (uint32 actor, uint16 roles,) = registry.requireActor(msg.sender);
        if (roles & _DECLARANT_ROLES == 0) revert NotADeclarant(actor);
        if (uint8(country[0]) < 0x41 || uint8(country[0]) > 0x5A || uint8(country[1]) < 0x41 || uint8(country[1]) > 0x5A) {
            revert IPortRegistry.InvalidCountry(country);
        }
        id = _lodge(kind, country, documentHash, ucrHash, bill, items, actor, Status.LODGED, Lane.NONE);
    }

    /// @notice The declarant lodges an amended declaration in place of one customs sent back for amendment.
    /// @param bill The bill the original declaration is linked to (zero if none); the link moves to the amendment.
    /// @return replacement The amended declaration's id; it starts ACCEPTED on the original's lane.
    function amend(bytes32 id, bytes32 documentHash, bytes32 ucrHash, bytes32 bill, Item[] calldata items)
        external
        returns (bytes32 replacement)
    {
        Record memory record = _record(id);
        (uint32 actor,,) = registry.requireActor(msg.sender);
        if (actor != record.declarant) revert NotDeclarant(id, actor, record.declarant);
        if (record.status != Status.AMENDMENT_REQUIRED) revert InvalidDeclarationStatus(id, record.status);
        if (bill != bytes32(0) && _ofBill[bill][record.kind][actor] != id) revert BillNotLinked(bill, id);
        _records[id].status = Status.SUPERSEDED;
        replacement = _lodge(
            record.kind, record.country, documentHash, ucrHash, bill, items, actor, Status.ACCEPTED, record.lane
        );
        _supersededBy[id] = replacement;
        emit DeclarationAmended(id, replacement);
    }

    /// @notice Pay the assessed duties and VAT to the jurisdiction's treasury (anyone may pay; usually the
    /// declarant). Approve the contract first, or use `payWithPermit`.
    function pay(bytes32 id) external nonReentrant {
        _pay(id);
    }

    /// @notice As `pay`, with an EIP-2612 permit for the amount due.
    function payWithPermit(bytes32 id, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external nonReentrant {
        _requireStatus(id, _record(id), Status.ASSESSED);
        Assessment memory due = _assessments[id];
        address token = _treasuryList[due.treasury - 1].token;
        // A front-run permit must not block the payment: the allowance is what counts.
        try IERC20Permit(token).permit(msg.sender, address(this), uint256(due.duty) + due.vat, deadline, v, r, s) {}
            catch {}
        _pay(id);
    }

    /*//////////////////////////////////////////////////////////////
                           CUSTOMS AUTHORITY
    //////////////////////////////////////////////////////////////*/

    /// @notice Accept a lodged declaration.
    function accept(bytes32 id) external {
        (Record memory record, uint32 customs) = _forCustoms(id);
        _requireStatus(id, record, Status.LODGED);
        _records[id].status = Status.ACCEPTED;
        emit DeclarationAccepted(id, customs);
    }

    /// @notice Reject a declaration (lodged, accepted, awaiting amendment, or assessed and not paid: a payment that
    /// cannot go through, e.g. a token refusing the treasury, must not keep the goods from a new declaration).
    /// @param reasonHash Hash of the rejection notice (kept off-chain).
    function reject(bytes32 id, bytes32 reasonHash) external {
        (Record memory record,) = _forCustoms(id);
        if (record.status != Status.LODGED && record.status != Status.ACCEPTED
            && record.status != Status.AMENDMENT_REQUIRED && record.status != Status.ASSESSED) {
            revert InvalidDeclarationStatus(id, record.status);
        }
        _records[id].status = Status.REJECTED;
        emit DeclarationRejected(id, reasonHash);
    }

    /// @notice Assign the risk lane of an accepted declaration (once).
    function assignLane(bytes32 id, Lane lane) external {
        (Record memory record,) = _forCustoms(id);
        _requireStatus(id, record, Status.ACCEPTED);
        if (record.lane != Lane.NONE || lane == Lane.NONE) revert InvalidLane(id, record.lane, lane);
        _records[id].lane = lane;
        emit LaneAssigned(id, lane);
    }

    /// @notice Record the document check (YELLOW) or physical inspection (RED).
    /// @param reportHash Hash of the inspection report (kept off-chain).
    function recordInspection(bytes32 id, InspectionResult result, bytes32 reportHash) external {
        (Record memory record,) = _forCustoms(id);
        _requireStatus(id, record, Status.ACCEPTED);
        if (record.lane != Lane.YELLOW && record.lane != Lane.RED) revert InspectionNotApplicable(id, record.lane);
        if (result == InspectionResult.NONE) revert InvalidInspectionResult(result);
        _records[id].inspection = result;
        emit InspectionRecorded(id, result, reportHash);
    }

    /// @notice Send an accepted declaration back to the declarant for amendment.
    function requireAmendment(bytes32 id, bytes32 reasonHash) external {
        (Record memory record,) = _forCustoms(id);
        _requireStatus(id, record, Status.ACCEPTED);
        _records[id].status = Status.AMENDMENT_REQUIRED;
        emit AmendmentRequired(id, reasonHash);
    }

    /// @notice Assess the duties and import VAT of an accepted import declaration whose lane's check passed.
    /// @param documentHash and `items`: the declaration as lodged (checked against its id).
    function assess(bytes32 id, bytes32 documentHash, Item[] calldata items) external {
        (Record memory record,) = _forCustoms(id);
        _requireStatus(id, record, Status.ACCEPTED);
        if (record.kind != Kind.IMPORT) revert InvalidDeclarationStatus(id, record.status);
        _requireCheckPassed(id, record);
        if (keccak256(abi.encode(documentHash, record.kind, record.country, record.declarant, items)) != id) {
            revert ItemsMismatch(id);
        }
        (uint96 duty, uint96 vat) = quote(record.country, record.kind, items);
        uint32 treasury = _treasuries[record.country];
        if (treasury == 0 && (duty != 0 || vat != 0)) revert NoTreasury(record.country);
        _assessments[id] = Assessment(duty, vat, treasury);
        // Nothing due (zero-rated goods, no VAT): the declaration counts as paid.
        _records[id].status = duty == 0 && vat == 0 ? Status.PAID : Status.ASSESSED;
        emit DutiesAssessed(id, duty, vat);
    }

    /// @notice Release the goods: an import once paid; an export once accepted and its lane's check passed
    /// (the export is then cleared, and the carrier may record it shipped on board).
    function release(bytes32 id) external {
        (Record memory record, uint32 customs) = _forCustoms(id);
        if (record.kind == Kind.IMPORT) {
            _requireStatus(id, record, Status.PAID);
        } else {
            _requireStatus(id, record, Status.ACCEPTED);
            _requireCheckPassed(id, record);
        }
        _records[id].status = Status.RELEASED;
        emit DeclarationReleased(id, customs);
    }

    /// @notice Set the ad-valorem duty rate of an HS heading (4 digits) or subheading (6 digits) in the caller's
    /// jurisdiction; a subheading's rate takes precedence over its heading's. Zero is a valid (zero-rated) rate.
    function setTariffRate(uint32 code, uint8 digits, uint16 rateBps) external {
        (, bytes2 country) = registry.requireOwnAuthority(msg.sender, IPortRegistry.Role.CUSTOMS);
        if ((digits != 4 && digits != 6) || code == 0 || code >= 10 ** uint256(digits)) {
            revert InvalidItem(0, ItemField.HS_CODE);
        }
        if (rateBps > _BPS) revert InvalidRate(rateBps);
        _tariff[country][uint32(digits) << 24 | code] = uint24(rateBps) + 1;
        emit TariffRateSet(country, code, rateBps);
    }

    /// @notice The TAX authority sets the import VAT rate of its jurisdiction.
    function setVatRate(uint16 rateBps) external {
        (, bytes2 country) = registry.requireOwnAuthority(msg.sender, IPortRegistry.Role.TAX);
        if (rateBps > _BPS) revert InvalidRate(rateBps);
        _vat[country] = uint24(rateBps) + 1;
        emit VatRateSet(country, rateBps);
    }

    /// @notice The customs authority nominates where its jurisdiction's duties are paid, and in which token. It
    /// takes effect only when `treasury` accepts (`acceptTreasury`); assessments already made keep theirs.
    function nominateTreasury(address treasury, address token) external {
        (uint32 authority, bytes2 country) = registry.requireOwnAuthority(msg.sender, IPortRegistry.Role.CUSTOMS);
        _nominateTreasury(country, treasury, token, authority);
    }

    /*//////////////////////////////////////////////////////////////
                                 QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICustoms
    function declarationOf(bytes32 id) external view returns (DeclarationView memory) {
        Record memory r = _record(id);
        Assessment memory a = _assessments[id];
        Treasury memory t = a.treasury == 0 ? Treasury(address(0), address(0), 0) : _treasuryList[a.treasury - 1];
        return DeclarationView(
            r.status, r.kind, r.lane, r.inspection, r.declarant, r.country, r.lodgedAt, r.itemCount, r.lodgedBlock,
            a.duty, a.vat, _supersededBy[id], t.account, t.token
        );
    }

    /// @inheritdoc ICustoms
    function declarationOfBill(bytes32 bill, Kind kind, uint32 declarant) external view returns (bytes32) {
        return _ofBill[bill][kind][declarant];
    }

    /// @inheritdoc IExportClearance
    function requireExportCleared(bytes32 bill, uint32 shipper) external view {
        bytes32 id = _ofBill[bill][Kind.EXPORT][shipper];
        if (id == bytes32(0)) return;
        Status status = _records[id].status;
        if (status != Status.RELEASED) revert ExportNotCleared(bill, id, uint8(status));
    }

    /// @notice Duty and import VAT of `items` in `country` under the current rates (see the rounding rule above).
    function quote(bytes2 country, Kind kind, Item[] calldata items) public view returns (uint96 duty, uint96 vat) {
        if (kind == Kind.EXPORT) return (0, 0);
        uint256 dutyTotal;
        uint256 valueTotal;
        for (uint256 i; i < items.length; ++i) {
            uint256 value = items[i].customsValue;
            dutyTotal += (value * tariffRate(country, items[i].hsCode) + _BPS / 2) / _BPS;
            valueTotal += value;
        }
        uint24 vatPlusOne = _vat[country];
        if (vatPlusOne == 0) revert NoVatRate(country);
        uint256 vatTotal = ((valueTotal + dutyTotal) * (vatPlusOne - 1) + _BPS / 2) / _BPS;
        return (SafeCast.toUint96(dutyTotal), SafeCast.toUint96(vatTotal));
    }

    /// @notice The duty rate (basis points) of a 6-digit HS subheading: its own, else its heading's.
    function tariffRate(bytes2 country, uint32 hsCode) public view returns (uint16) {
        uint24 rate = _tariff[country][uint32(6) << 24 | hsCode];
        if (rate == 0) rate = _tariff[country][uint32(4) << 24 | hsCode / 100];
        if (rate == 0) revert NoTariffRate(country, hsCode);
        return uint16(rate - 1);
    }

    /// @notice The import VAT rate (basis points) of `country`.
    function vatRate(bytes2 country) external view returns (uint16) {
        uint24 rate = _vat[country];
        if (rate == 0) revert NoVatRate(country);
        return uint16(rate - 1);
    }

    /// @notice Where `country`'s duties are paid, and in which token (the accepted treasury; zero if none).
    function treasuryOf(bytes2 country) external view returns (address treasury, address token) {
        uint32 index = _treasuries[country];
        if (index == 0) return (address(0), address(0));
        Treasury memory t = _treasuryList[index - 1];
        return (t.account, t.token);
    }



    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _lodge(
        Kind kind,
        bytes2 country,
        bytes32 documentHash,
        bytes32 ucrHash,
        bytes32 bill,
        Item[] calldata items,
        uint32 declarant,
        Status status,
        Lane lane
    ) private returns (bytes32 id) {
        if (documentHash == bytes32(0)) revert ZeroDocumentHash();
        if (items.length == 0 || items.length > _MAX_ITEMS) revert InvalidItemCount(items.length);
        for (uint256 i; i < items.length; ++i) {
            Item calldata item = items[i];
            if (item.hsCode == 0 || item.hsCode > _MAX_HS_CODE) revert InvalidItem(i, ItemField.HS_CODE);
            if (item.customsValue == 0) revert InvalidItem(i, ItemField.CUSTOMS_VALUE);
            bytes2 origin = item.origin;
            if (uint8(origin[0]) < 0x41 || uint8(origin[0]) > 0x5A || uint8(origin[1]) < 0x41 || uint8(origin[1]) > 0x5A) {
                revert InvalidItem(i, ItemField.ORIGIN);
            }
        }
        id = keccak256(abi.encode(documentHash, kind, country, declarant, items));
        if (_records[id].status != Status.NONE) revert DeclarationExists(id);
        if (bill != bytes32(0)) {
            // A rejected or superseded declaration leaves its link to be replaced.
            bytes32 existing = _ofBill[bill][kind][declarant];
            if (existing != bytes32(0)) {
                Status linked = _records[existing].status;
                if (linked != Status.REJECTED && linked != Status.SUPERSEDED) {
                    revert BillAlreadyDeclared(bill, kind, existing);
                }
            }
            _ofBill[bill][kind][declarant] = id;
        }
        _records[id] = Record({
            status: status,
            kind: kind,
            lane: lane,
            inspection: InspectionResult.NONE,
            declarant: declarant,
            country: country,
            lodgedAt: uint40(block.timestamp),
            itemCount: uint8(items.length),
            lodgedBlock: uint32(block.number)
        });
        emit DeclarationLodged(id, bill, ucrHash, kind, declarant, country, documentHash, uint8(items.length));
    }

    function _pay(bytes32 id) private {
        Record memory record = _record(id);
        _requireStatus(id, record, Status.ASSESSED);
        Assessment memory due = _assessments[id];
        Treasury memory treasury = _treasuryList[due.treasury - 1];
        uint96 amount = due.duty + due.vat;
        _records[id].status = Status.PAID;
        emit DutiesPaid(id, msg.sender, treasury.account, treasury.token, amount);
        IERC20(treasury.token).safeTransferFrom(msg.sender, treasury.account, amount);
    }

    /// @dev An accepted treasury is appended, never changed, so assessments can point at it by index.
    function _treasuryAccepted(bytes2 country, Treasury memory treasury) internal override {
        _treasuryList.push(treasury);
        _treasuries[country] = uint32(_treasuryList.length);
    }

    function _isAuthority(bytes2 country, uint32 orgId) internal view override returns (bool) {
        return registry.authorityOf(country, IPortRegistry.Role.CUSTOMS) == orgId
            && registry.statusOf(orgId) == IPortRegistry.Status.ACTIVE;
    }

    function _forCustoms(bytes32 id) private view returns (Record memory record, uint32 customs) {
        record = _record(id);
        customs = registry.requireAuthority(msg.sender, IPortRegistry.Role.CUSTOMS, record.country);
    }

    function _record(bytes32 id) private view returns (Record memory record) {
        record = _records[id];
        if (record.status == Status.NONE) revert UnknownDeclaration(id);
    }

    function _requireStatus(bytes32 id, Record memory record, Status wanted) private pure {
        if (record.status != wanted) revert InvalidDeclarationStatus(id, record.status);
    }

    function _requireCheckPassed(bytes32 id, Record memory record) private pure {
        if (record.lane == Lane.NONE || (record.lane != Lane.GREEN && record.inspection != InspectionResult.PASSED)) {
            revert CheckNotPassed(id, record.lane, record.inspection);
        }
    }
}
