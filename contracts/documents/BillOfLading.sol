// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IPortRegistry} from "../access/IPortRegistry.sol";
import {IExportClearance} from "../customs/IExportClearance.sol";
import {IBillOfLading} from "./IBillOfLading.sol";

/// @title BillOfLading
/// @notice Electronic bills of lading (DCSA eBL 3.0; MLETR / UK ETDA 2023): one registry holding one packed record
/// per document, not a contract per document. Title is held by registry organisations; exactly one holds each bill.
/// @dev State machine (every transition is in this file; nothing leaves ACCOMPLISHED or VOIDED):
///
///     DRAFT --approve (shipper)--> APPROVED --issue (carrier)--> ISSUED
///     DRAFT | APPROVED --voidDraft (carrier)--> VOIDED
///     ISSUED --transfer | endorse | endorseToOrder | blankEndorse | sign | rejectTransfer--> ISSUED
///     ISSUED --surrenderForDelivery (titleholder)--> SURRENDERED_FOR_DELIVERY
///            --acceptSurrender (carrier)--> ACCOMPLISHED
///            --rejectSurrender (carrier)--> ISSUED, back to the surrendering party
///     ISSUED --surrenderForAmendment (titleholder, SWTP | COD | SWI)--> SURRENDERED_FOR_AMENDMENT
///            --acceptAmendment (carrier, replacement)--> VOIDED, linked to the replacement: for COD and SWI a
///              draft of the carrier, issued at once to the party that surrendered (title stays with it); for
///              SWTP the paper document's hash
///            --rejectSurrender (carrier)--> ISSUED, back to the surrendering party
///
/// Who holds title: a straight bill and a sea waybill, the consignee; a to-order bill, the endorsee when it is also
/// the holder, or whoever holds it once endorsed in blank. Sea waybills are never transferred; a straight bill goes
/// only to its consignee. Gas: every action reads and writes one storage slot of the bill plus one registry call.
///
/// Trust: a bill's id binds its document hash to the drafting carrier (`billId`), so no carrier can draft another's
/// document first. Every change of holding counts in `transfers`; a relayed endorsement names the signer's
/// organisation and the count it was signed at, so it dies as soon as the bill moves, cannot follow a signer to
/// another organisation, and its signer can withdraw it (`revokeEndorsement`) before it is relayed.
contract BillOfLading is IBillOfLading, EIP712, Nonces {
    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice EIP-712 type of a relayed endorsement signed by a signer of the holder.
    bytes32 public constant ENDORSE_TYPEHASH = keccak256(
        "Endorse(bytes32 bill,uint32 from,uint32 to,bool toOrder,uint40 transfers,address relayer,uint256 nonce,uint256 deadline)"
    );

    uint8 private constant _BLANK = 1;
    uint8 private constant _PREVIOUS_BLANK = 2;

    /// @notice The participant registry every action is checked against.
    IPortRegistry public immutable registry;
    /// @notice Customs, asked before a shipment is recorded on board (an export must be cleared first).
    IExportClearance public immutable exportClearance;

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev 32 bytes: one slot, read and written once per action. `transfers` counts changes of holding (issue
    /// excluded) and dates relayed endorsements. The layout is pinned by a test because `_writeHolding` writes it
    /// in assembly.
    struct Record {
        State state;
        Kind kind;
        uint8 flags;
        uint32 carrier;
        uint32 shipper;
        uint32 holder;
        uint32 endorsee;
        uint32 previousHolder;
        uint32 previousEndorsee;
        uint40 transfers;
    }

    /// @dev Written at draft and by the carrier's milestones; `draftBlock` bounds event queries for a bill's history.
    /// The consignee lives here, off the hot slot: only issue, straight-bill transfers and surrenders read it; so
    /// does the reason of a pending surrender for amendment.
    struct Dates {
        uint40 draftBlock;
        uint40 shippedOnBoard;
        uint40 arrived;
        uint40 discharged;
        uint32 consignee;
        AmendmentReason amendmentReason;
    }

    mapping(bytes32 id => Record) private _records;
    mapping(bytes32 id => Dates) private _dates;
    mapping(bytes32 id => bytes32 replacement) private _replacedBy;

    /*//////////////////////////////////////////////////////////////
                                CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param registry_ The PortRegistry deployment.
    /// @param exportClearance_ The Customs deployment.
    constructor(IPortRegistry registry_, IExportClearance exportClearance_) EIP712("portchain BillOfLading", "1") {
        registry = registry_;
        exportClearance = exportClearance_;
    }

    /*//////////////////////////////////////////////////////////////
                          DRAFT, APPROVE, ISSUE
    //////////////////////////////////////////////////////////////*/

    /// @notice Draft a bill from the hash of its transport document; the bill's id binds that hash to the caller's
    /// organisation (`billId(documentHash, carrier)`), so no other carrier can take it first.
    /// @param documentHash Canonical hash of the DCSA transport document.
    /// @param kind To-order bill, straight bill or sea waybill.
    /// @param shipper The shipper's organisation, who must approve the draft.
    /// @param consignee The consignee's organisation; for a to-order bill the party to whose order it is made out,
    /// or 0 for "to order of the shipper".
    /// @return id The bill's id.
    function draft(bytes32 documentHash, Kind kind, uint32 shipper, uint32 consignee) external returns (bytes32 id) {
        uint32 carrier = uint32(registry.requireActing(msg.sender, IPortRegistry.Role.CARRIER));
        if (documentHash == bytes32(0)) revert ZeroDocumentHash();
        id = billId(documentHash, carrier);
        if (_records[id].state != State.NONE) revert BillAlreadyExists(id);
        registry.requireActiveOrganisation(shipper);
        if (consignee == 0) {
            if (kind != Kind.TO_ORDER) revert ConsigneeRequired(kind);
        } else {
            registry.requireActiveOrganisation(consignee);
        }
        _records[id] = Record({
            state: State.DRAFT,
            kind: kind,
            flags: 0,
            carrier: carrier,
            shipper: shipper,
            holder: 0,
            endorsee: 0,
            previousHolder: 0,
            previousEndorsee: 0,
            transfers: 0
        });
        _dates[id] = Dates(uint40(block.number), 0, 0, 0, consignee, AmendmentReason.SWTP);
        emit BillDrafted(id, carrier, documentHash, kind, shipper, consignee);
    }

    /// @notice The shipper approves the draft.
    function approve(bytes32 id) external {
        Record memory bill = _bill(id);
        uint32 actor = _actor();
        if (bill.state != State.DRAFT) revert InvalidState(id, bill.state);
        if (actor != bill.shipper) revert NotShipper(id, actor, bill.shipper);
        _records[id].state = State.APPROVED;
        emit BillApproved(id, actor);
    }

    /// @notice The carrier issues an approved bill: the shipper holds it (a sea waybill: the consignee).
    function issue(bytes32 id) external {
        _issue(id, _actor());
    }

    /// @notice The carrier issues several approved bills in one transaction.
    function issueBatch(bytes32[] calldata ids) external {
        if (ids.length == 0) revert EmptyBatch();
        uint32 actor = _actor();
        for (uint256 i; i < ids.length; ++i) {
            _issue(ids[i], actor);
        }
    }

    /// @notice The carrier withdraws a bill that was never issued.
    function voidDraft(bytes32 id) external {
        Record memory bill = _bill(id);
        _onlyCarrier(id, bill, _actor());
        if (bill.state != State.DRAFT && bill.state != State.APPROVED) revert InvalidState(id, bill.state);
        _records[id].state = State.VOIDED;
        emit BillVoided(id, bytes32(0));
    }

    /*//////////////////////////////////////////////////////////////
                        TRANSFER AND ENDORSEMENT
    //////////////////////////////////////////////////////////////*/

    /// @notice The holder passes possession to organisation `to`. For a to-order bill that is not endorsed in
    /// blank, title stays with the endorsee; a straight bill goes only to its consignee; a sea waybill never moves.
    function transfer(bytes32 id, uint32 to) external {
        Record memory bill = _bill(id);
        uint32 actor = registry.requireActorAndCounterparty(msg.sender, to);
        _requireIssuedHolder(id, bill, actor);
        if (bill.kind == Kind.SEA_WAYBILL) revert NotTransferable(id);
        if (bill.kind == Kind.STRAIGHT) {
            uint32 consignee = _dates[id].consignee;
            if (to != consignee) revert StraightBillOnlyToConsignee(id, to, consignee);
        }
        if (to == actor) revert TransferToSelf(id, to);
        _writeHolding(id, (bill.flags & _BLANK) * (_BLANK | _PREVIOUS_BLANK), to, bill.endorsee, actor, bill.endorsee);
        emit BillTransferred(id, actor, to);
    }

    /// @notice The titleholder endorses a to-order bill to `to` and delivers it: `to` becomes endorsee and holder.
    function endorse(bytes32 id, uint32 to) external {
        _endorse(id, registry.requireActorAndCounterparty(msg.sender, to), to, false);
    }

    /// @notice As `endorse`, made out "to the order of" `to`.
    function endorseToOrder(bytes32 id, uint32 to) external {
        _endorse(id, registry.requireActorAndCounterparty(msg.sender, to), to, true);
    }

    /// @notice Relay an endorsement that a signer of the holder signed off-chain (EIP-712 `Endorse`).
    /// @param from The organisation the signer signed for; the signer must still act for it.
    /// @param transfers The bill's `transfers` count when it was signed: once the bill moves, the signature is dead.
    /// @param relayer The only address that may send it, or zero for anyone. A signature meant for one contract
    /// (a letter of credit taking the bill into custody) names it, so nobody can front-run the relay.
    /// @param nonce The signer's current nonce (`nonces(signer)`); each signature works once, and the signer can
    /// withdraw it with `revokeEndorsement(nonce)`.
    /// @param deadline Unix time after which the signature is refused.
    function endorseBySignature(
        bytes32 id,
        uint32 from,
        uint32 to,
        bool toOrder,
        uint40 transfers,
        address relayer,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        if (relayer != address(0) && relayer != msg.sender) revert WrongRelayer(relayer, msg.sender);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(ENDORSE_TYPEHASH, id, from, to, toOrder, transfers, relayer, nonce, deadline))
        );
        address signer = ECDSA.recover(digest, signature);
        _useCheckedNonce(signer, nonce);
        uint32 actor = registry.requireActorAndCounterparty(signer, to);
        if (actor != from) revert SignerNotOfOrganisation(signer, from, actor);
        uint40 current = _records[id].transfers;
        if (current != transfers) revert StaleEndorsement(id, transfers, current);
        _endorse(id, actor, to, toOrder);
    }

    /// @notice Withdraw an endorsement signed but not yet relayed: the caller's nonce `nonce` is spent, so the
    /// signature carrying it can never be used.
    function revokeEndorsement(uint256 nonce) external {
        _useCheckedNonce(msg.sender, nonce);
        emit EndorsementRevoked(msg.sender, nonce);
    }

    /// @notice The titleholder endorses a to-order bill in blank: it becomes a bearer bill.
    function blankEndorse(bytes32 id) external {
        Record memory bill = _bill(id);
        uint32 actor = _actor();
        _requireIssuedHolder(id, bill, actor);
        if (bill.kind != Kind.TO_ORDER) revert NotNegotiable(id);
        _requireTitleholder(id, bill, actor);
        _writeHolding(id, _BLANK, actor, 0, 0, 0);
        emit BillBlankEndorsed(id, actor);
    }

    /// @notice The holder attests the bill; the attestation itself stays off-chain.
    function sign(bytes32 id, bytes32 attestationHash) external {
        Record memory bill = _bill(id);
        uint32 actor = _actor();
        _requireIssuedHolder(id, bill, actor);
        if (attestationHash == bytes32(0)) revert ZeroDocumentHash();
        emit BillSigned(id, actor, attestationHash);
    }

    /// @notice The new holder refuses the last transfer or endorsement; the bill and its title go back.
    function rejectTransfer(bytes32 id) external {
        Record memory bill = _bill(id);
        uint32 actor = _actor();
        _requireIssuedHolder(id, bill, actor);
        uint32 returnedTo = bill.previousHolder;
        if (returnedTo == 0) revert NothingToReject(id);
        if (registry.isContractOrganisation(returnedTo)) revert DeliveryNotRejectable(id, returnedTo);
        _writeHolding(id, (bill.flags & _PREVIOUS_BLANK) / _PREVIOUS_BLANK * _BLANK, returnedTo, bill.previousEndorsee, 0, 0);
        emit TransferRejected(id, actor, returnedTo);
    }

    /*//////////////////////////////////////////////////////////////
                               SURRENDER
    //////////////////////////////////////////////////////////////*/

    /// @notice The titleholder surrenders the bill to the carrier to take delivery of the goods.
    function surrenderForDelivery(bytes32 id) external {
        uint32 actor = _surrender(id, State.SURRENDERED_FOR_DELIVERY);
        emit BillSurrenderedForDelivery(id, actor);
    }

    /// @notice The titleholder surrenders the bill to the carrier for an amendment (switch to paper, change of
    /// destination, switch BL).
    function surrenderForAmendment(bytes32 id, AmendmentReason reason) external {
        uint32 actor = _surrender(id, State.SURRENDERED_FOR_AMENDMENT);
        _dates[id].amendmentReason = reason;
        emit BillSurrenderedForAmendment(id, actor, reason);
    }

    /// @notice The carrier accepts a surrender for delivery: the bill is accomplished.
    function acceptSurrender(bytes32 id) external {
        Record memory bill = _bill(id);
        uint32 actor = _actor();
        _onlyCarrier(id, bill, actor);
        if (bill.state != State.SURRENDERED_FOR_DELIVERY) revert InvalidState(id, bill.state);
        _records[id].state = State.ACCOMPLISHED;
        emit SurrenderAccepted(id, actor);
    }

    /// @notice The carrier accepts a surrender for amendment: the bill is voided and linked to its replacement.
    /// For a change of destination or a switch of bill the replacement is a draft (or approved draft) of this
    /// carrier, issued here to the party that surrendered, which keeps title; for a switch to paper it is the paper
    /// bill's document hash (no bill of this registry).
    function acceptAmendment(bytes32 id, bytes32 replacement) external {
        Record memory bill = _bill(id);
        _onlyCarrier(id, bill, _actor());
        if (bill.state != State.SURRENDERED_FOR_AMENDMENT) revert InvalidState(id, bill.state);
        if (replacement == bytes32(0) || replacement == id) revert InvalidReplacement(id, replacement);
        Record memory next = _records[replacement];
        if (_dates[id].amendmentReason == AmendmentReason.SWTP) {
            if (next.state != State.NONE) revert InvalidReplacement(id, replacement);
        } else {
            _issueReplacement(id, replacement, next, bill.carrier, bill.previousHolder);
        }
        _records[id].state = State.VOIDED;
        _replacedBy[id] = replacement;
        emit BillVoided(id, replacement);
    }

    /// @notice The carrier rejects a surrender (for delivery or amendment): the bill goes back to its surrenderer.
    function rejectSurrender(bytes32 id) external {
        Record memory bill = _bill(id);
        _onlyCarrier(id, bill, _actor());
        if (bill.state != State.SURRENDERED_FOR_DELIVERY && bill.state != State.SURRENDERED_FOR_AMENDMENT) {
            revert InvalidState(id, bill.state);
        }
        uint32 returnedTo = bill.previousHolder;
        Record storage record = _records[id];
        record.state = State.ISSUED;
        record.holder = returnedTo;
        record.previousHolder = 0;
        record.transfers = bill.transfers + 1;
        emit SurrenderRejected(id, returnedTo);
    }

    /*//////////////////////////////////////////////////////////////
                               MILESTONES
    //////////////////////////////////////////////////////////////*/

    /// @notice The carrier records a shipment milestone of an issued bill (shipped on board, arrived, discharged).
    /// @param date Unix time of the event; not in the future.
    function recordMilestone(bytes32 id, Milestone milestone, uint40 date) external {
        Record memory bill = _bill(id);
        _onlyCarrier(id, bill, _actor());
        if (bill.state < State.ISSUED || bill.state > State.SURRENDERED_FOR_AMENDMENT) {
            revert InvalidState(id, bill.state);
        }
        if (date == 0 || date > block.timestamp) revert InvalidMilestoneDate(date);
        Dates storage dates = _dates[id];
        if (milestone == Milestone.SHIPPED_ON_BOARD) {
            if (dates.shippedOnBoard != 0) revert MilestoneOutOfOrder(id, milestone);
            exportClearance.requireExportCleared(id, bill.shipper);
            dates.shippedOnBoard = date;
        } else if (milestone == Milestone.ARRIVED) {
            if (dates.shippedOnBoard == 0 || dates.arrived != 0) revert MilestoneOutOfOrder(id, milestone);
            dates.arrived = date;
        } else {
            if (dates.arrived == 0 || dates.discharged != 0) revert MilestoneOutOfOrder(id, milestone);
            dates.discharged = date;
        }
        emit MilestoneRecorded(id, milestone, date);
    }

    /*//////////////////////////////////////////////////////////////
                                 QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IBillOfLading
    function statusOf(bytes32 id) external view returns (BillStatus memory status) {
        Record memory bill = _bill(id);
        Dates memory dates = _dates[id];
        status = BillStatus({
            state: bill.state,
            kind: bill.kind,
            blankEndorsed: bill.flags & _BLANK != 0,
            carrier: bill.carrier,
            shipper: bill.shipper,
            consignee: dates.consignee,
            holder: bill.holder,
            endorsee: bill.endorsee,
            previousHolder: bill.previousHolder,
            draftBlock: dates.draftBlock,
            shippedOnBoardDate: dates.shippedOnBoard,
            arrivedDate: dates.arrived,
            dischargedDate: dates.discharged,
            replacedBy: _replacedBy[id],
            transfers: bill.transfers
        });
    }

    /// @inheritdoc IBillOfLading
    function billId(bytes32 documentHash, uint32 carrier) public pure returns (bytes32) {
        return keccak256(abi.encode(documentHash, carrier));
    }

    /// @notice The EIP-712 domain separator of relayed endorsements.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _issue(bytes32 id, uint32 actor) private {
        Record memory bill = _bill(id);
        _onlyCarrier(id, bill, actor);
        if (bill.state != State.APPROVED) revert InvalidState(id, bill.state);
        uint32 consignee = _dates[id].consignee;
        uint32 holder = bill.kind == Kind.SEA_WAYBILL ? consignee : bill.shipper;
        // A to-order bill is made out to the order of the consignee if named, else of the shipper.
        uint32 endorsee = bill.kind != Kind.TO_ORDER ? 0 : consignee == 0 ? bill.shipper : consignee;
        Record storage record = _records[id];
        record.state = State.ISSUED;
        record.holder = holder;
        record.endorsee = endorsee;
        emit BillIssued(id, holder, endorsee);
    }

    /// @dev Issue the replacement of an amended bill to the party that surrendered it: a draft of the same carrier
    /// that this party may hold (a straight bill or sea waybill only to its consignee), with title for a to-order bill.
    function _issueReplacement(bytes32 id, bytes32 replacement, Record memory next, uint32 carrier, uint32 surrenderer)
        private
    {
        bool isDraft = next.state == State.DRAFT || next.state == State.APPROVED;
        if (!isDraft || next.carrier != carrier) revert InvalidReplacement(id, replacement);
        if (next.kind != Kind.TO_ORDER && _dates[replacement].consignee != surrenderer) {
            revert InvalidReplacement(id, replacement);
        }
        Record storage record = _records[replacement];
        record.state = State.ISSUED;
        record.holder = surrenderer;
        record.endorsee = next.kind == Kind.TO_ORDER ? surrenderer : 0;
        emit BillIssued(replacement, surrenderer, record.endorsee);
    }

    function _endorse(bytes32 id, uint32 actor, uint32 to, bool toOrder) private {
        Record memory bill = _bill(id);
        _requireIssuedHolder(id, bill, actor);
        if (bill.kind != Kind.TO_ORDER) revert NotNegotiable(id);
        _requireTitleholder(id, bill, actor);
        if (to == actor) revert TransferToSelf(id, to);
        _writeHolding(id, (bill.flags & _BLANK) * _PREVIOUS_BLANK, to, to, actor, bill.endorsee);
        emit BillEndorsed(id, actor, to, toOrder);
    }

    /// @dev Shared by both surrenders: DCSA says who may surrender (see the contract's notes).
    function _surrender(bytes32 id, State next) private returns (uint32 actor) {
        Record memory bill = _bill(id);
        actor = _actor();
        _requireIssuedHolder(id, bill, actor);
        if (bill.kind == Kind.TO_ORDER) {
            _requireTitleholder(id, bill, actor);
        } else {
            uint32 consignee = _dates[id].consignee;
            if (actor != consignee) revert NotConsignee(id, actor, consignee);
        }
        Record storage record = _records[id];
        record.state = next;
        record.previousHolder = actor;
        record.holder = bill.carrier;
        record.transfers = bill.transfers + 1;
    }

    /// @dev Rewrite who holds the bill in one SSTORE: flags and the four holding fields of the packed Record, and
    /// `transfers` + 1, keeping state, kind, carrier and shipper. Transfers and endorsements are the hot path this
    /// serves (bol.transfer has a 40,000 gas bar); Solidity's field-by-field writes cost ~700 gas more.
    function _writeHolding(
        bytes32 id,
        uint8 flags,
        uint32 holder,
        uint32 endorsee,
        uint32 previousHolder,
        uint32 previousEndorsee
    ) private {
        Record storage record = _records[id];
        // Record layout from the low bits: state 0-7, kind 8-15, flags 16-23, carrier 24-55, shipper 56-87,
        // holder 88-119, endorsee 120-151, previousHolder 152-183, previousEndorsee 184-215, transfers 216-255.
        // `transfers` cannot reach 2^40 (one holding change per transaction), so the increment never carries out.
        assembly ("memory-safe") {
            let slot := record.slot
            let old := sload(slot)
            let kept := and(old, or(0xffff, shl(24, sub(shl(64, 1), 1))))
            let holding := or(
                or(shl(16, flags), shl(88, holder)),
                or(
                    or(shl(120, endorsee), shl(152, previousHolder)),
                    or(shl(184, previousEndorsee), shl(216, add(shr(216, old), 1)))
                )
            )
            sstore(slot, or(kept, holding))
        }
    }

    function _bill(bytes32 id) private view returns (Record memory bill) {
        bill = _records[id];
        if (bill.state == State.NONE) revert UnknownBill(id);
    }

    function _actor() private view returns (uint32 orgId) {
        (orgId,,) = registry.requireActor(msg.sender);
    }

    function _onlyCarrier(bytes32 id, Record memory bill, uint32 actor) private pure {
        if (actor != bill.carrier) revert NotCarrier(id, actor, bill.carrier);
    }

    function _requireIssuedHolder(bytes32 id, Record memory bill, uint32 actor) private pure {
        if (bill.state != State.ISSUED) revert InvalidState(id, bill.state);
        if (actor != bill.holder) revert NotHolder(id, actor, bill.holder);
    }

    function _requireTitleholder(bytes32 id, Record memory bill, uint32 actor) private pure {
        if (bill.flags & _BLANK == 0 && bill.endorsee != actor) revert NotTitleholder(id, actor, bill.endorsee);
    }
}
