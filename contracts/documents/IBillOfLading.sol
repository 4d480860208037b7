// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IBillOfLading
/// @notice Types, errors, events and the read side of the electronic bill of lading registry (DCSA eBL 3.0).
/// @dev A bill is identified by `billId(documentHash, carrier)`: the hash of its transport document bound to the
/// carrier that drafted it, so "the document hash never changes" holds by construction and no other carrier can
/// take a document's id first. Parties are registry organisation ids: title is held by an organisation, and any of
/// its signing addresses acts for it.
interface IBillOfLading {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Lifecycle. ACCOMPLISHED and VOIDED are terminal.
    enum State {
        NONE,
        DRAFT,
        APPROVED,
        ISSUED,
        SURRENDERED_FOR_DELIVERY,
        SURRENDERED_FOR_AMENDMENT,
        ACCOMPLISHED,
        VOIDED
    }

    /// @notice Transport document types: a negotiable to-order bill, a straight bill, a sea waybill.
    enum Kind {
        TO_ORDER,
        STRAIGHT,
        SEA_WAYBILL
    }

    /// @notice DCSA reasons to surrender for amendment: switch to paper, change of destination, switch BL.
    enum AmendmentReason {
        SWTP,
        COD,
        SWI
    }

    /// @notice Carrier milestones, recorded in this order.
    enum Milestone {
        SHIPPED_ON_BOARD,
        ARRIVED,
        DISCHARGED
    }

    /// @notice Everything a client needs about one bill, as `statusOf` returns it.
    struct BillStatus {
        State state;
        Kind kind;
        bool blankEndorsed;
        uint32 carrier;
        uint32 shipper;
        uint32 consignee;
        uint32 holder;
        uint32 endorsee;
        uint32 previousHolder;
        uint40 draftBlock;
        uint40 shippedOnBoardDate;
        uint40 arrivedDate;
        uint40 dischargedDate;
        bytes32 replacedBy;
        uint40 transfers;
    }

    /*//////////////////////////////////////////////////////////////
                              CUSTOM ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A bill with this document hash already exists.
    error BillAlreadyExists(bytes32 id);
    /// @notice No bill has this id (document hash).
    error UnknownBill(bytes32 id);
    /// @notice The action is not allowed in the bill's current state.
    error InvalidState(bytes32 id, State current);
    /// @notice Only the bill's carrier may do this.
    error NotCarrier(bytes32 id, uint32 actor, uint32 carrier);
    /// @notice Only the bill's shipper may do this.
    error NotShipper(bytes32 id, uint32 actor, uint32 shipper);
    /// @notice Only the organisation holding the bill may do this.
    error NotHolder(bytes32 id, uint32 actor, uint32 holder);
    /// @notice Only the titleholder (the endorsee in possession, or the holder of a blank-endorsed bill) may do this.
    error NotTitleholder(bytes32 id, uint32 actor, uint32 endorsee);
    /// @notice Only the named consignee may surrender a straight bill or a sea waybill.
    error NotConsignee(bytes32 id, uint32 actor, uint32 consignee);
    /// @notice A sea waybill is never transferred.
    error NotTransferable(bytes32 id);
    /// @notice Only a to-order bill can be endorsed.
    error NotNegotiable(bytes32 id);
    /// @notice A straight bill goes only to its consignee.
    error StraightBillOnlyToConsignee(bytes32 id, uint32 to, uint32 consignee);
    /// @notice The bill is already held by that organisation.
    error TransferToSelf(bytes32 id, uint32 to);
    /// @notice There is no transfer or endorsement to reject.
    error NothingToReject(bytes32 id);
    /// @notice A straight bill and a sea waybill need a consignee.
    error ConsigneeRequired(Kind kind);
    /// @notice A document hash (bill id, attestation, replacement) was zero.
    error ZeroDocumentHash();
    /// @notice Only `relayer` may send this signed endorsement.
    error WrongRelayer(address relayer, address sender);
    /// @notice The relayed endorsement's deadline has passed.
    error SignatureExpired(uint256 deadline, uint256 timestamp);
    /// @notice The signer does not act for the organisation the signed endorsement names (it moved, or never did).
    error SignerNotOfOrganisation(address signer, uint32 named, uint32 actual);
    /// @notice The signed endorsement was made for an earlier holding of the bill: it has moved since.
    error StaleEndorsement(bytes32 id, uint40 signedAt, uint40 current);
    /// @notice Milestones go shipped on board, arrived, discharged, each once.
    error MilestoneOutOfOrder(bytes32 id, Milestone milestone);
    /// @notice A milestone date must be set and not in the future.
    error InvalidMilestoneDate(uint40 date);
    /// @notice The replacement of an amended bill must be a draft of the same carrier that the surrendering party
    /// may hold (for a change of destination or a switch of bill), or the paper document's hash (switch to paper).
    error InvalidReplacement(bytes32 id, bytes32 replacement);
    /// @notice A delivery out of an escrow (delivery versus payment) is final: it cannot be rejected back into it.
    error DeliveryNotRejectable(bytes32 id, uint32 escrow);
    /// @notice A batch must hold at least one bill.
    error EmptyBatch();

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A carrier drafted a bill from its transport document's hash.
    event BillDrafted(
        bytes32 indexed id,
        uint32 indexed carrier,
        bytes32 indexed documentHash,
        Kind kind,
        uint32 shipper,
        uint32 consignee
    );
    /// @notice The shipper approved the draft.
    event BillApproved(bytes32 indexed id, uint32 shipper);
    /// @notice The carrier issued the bill to its first holder.
    event BillIssued(bytes32 indexed id, uint32 holder, uint32 endorsee);
    /// @notice Possession passed from one organisation to another.
    event BillTransferred(bytes32 indexed id, uint32 from, uint32 to);
    /// @notice The titleholder endorsed the bill to a new endorsee, who now holds it.
    event BillEndorsed(bytes32 indexed id, uint32 from, uint32 to, bool toOrder);
    /// @notice The titleholder endorsed the bill in blank: whoever holds it now holds title.
    event BillBlankEndorsed(bytes32 indexed id, uint32 by);
    /// @notice The holder attested the bill (the attestation document stays off-chain).
    event BillSigned(bytes32 indexed id, uint32 by, bytes32 attestationHash);
    /// @notice The new holder refused the last transfer; the bill went back.
    event TransferRejected(bytes32 indexed id, uint32 by, uint32 returnedTo);
    /// @notice The titleholder surrendered the bill to the carrier for delivery of the goods.
    event BillSurrenderedForDelivery(bytes32 indexed id, uint32 by);
    /// @notice The titleholder surrendered the bill to the carrier for an amendment.
    event BillSurrenderedForAmendment(bytes32 indexed id, uint32 by, AmendmentReason reason);
    /// @notice The carrier accepted a surrender for delivery: the bill is accomplished.
    event SurrenderAccepted(bytes32 indexed id, uint32 carrier);
    /// @notice The carrier rejected a surrender: the bill went back to the surrendering party.
    event SurrenderRejected(bytes32 indexed id, uint32 returnedTo);
    /// @notice The bill was voided (a draft withdrawn, or an amendment accepted with its replacement).
    event BillVoided(bytes32 indexed id, bytes32 replacedBy);
    /// @notice A signer withdrew the unrelayed endorsement it signed with `nonce`.
    event EndorsementRevoked(address indexed signer, uint256 nonce);
    /// @notice The carrier recorded a shipment milestone.
    event MilestoneRecorded(bytes32 indexed id, Milestone milestone, uint40 date);

    /*//////////////////////////////////////////////////////////////
                                 QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @notice Everything about bill `id` in one call (reverts `UnknownBill`).
    function statusOf(bytes32 id) external view returns (BillStatus memory);

    /// @notice The titleholder endorses a to-order bill to `to` and delivers it.
    function endorse(bytes32 id, uint32 to) external;

    /// @notice The holder passes possession to organisation `to`.
    function transfer(bytes32 id, uint32 to) external;

    /// @notice Relay an endorsement a signer of the holder signed off-chain (EIP-712 `Endorse`).
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
    ) external;

    /// @notice The id of the bill carrier `carrier` drafts from `documentHash`.
    function billId(bytes32 documentHash, uint32 carrier) external pure returns (bytes32);
}
