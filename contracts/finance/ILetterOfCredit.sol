// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ILetterOfCredit
/// @notice Types, errors and events of documentary credits under ICC UCP 600 / eUCP 2.0 with on-chain escrow.
interface ILetterOfCredit {
    /*//////////////////////////////////////////////////////////////
                                  TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Life of a credit. EXPIRED and CANCELLED are terminal.
    enum CreditState {
        NONE,
        APPLIED,
        ISSUED,
        EXPIRED,
        CANCELLED
    }

    /// @notice Life of one presentation. HONOURED and RETURNED are terminal.
    enum PresentationState {
        NONE,
        PRESENTED,
        REFUSED,
        WAIVED,
        HONOURED,
        RETURNED
    }

    /// @notice The parties a refusal names when the caller is not the one an action needs.
    enum Party {
        APPLICANT,
        BENEFICIARY,
        ISSUING_BANK,
        ADVISING_BANK,
        CONFIRMING_BANK,
        EXAMINING_BANK
    }

    /// @notice What is wrong with a credit's terms or an amendment.
    enum Term {
        AMOUNT,
        TOLERANCE,
        EXPIRY,
        LATEST_SHIPMENT,
        TOKEN,
        TERMS_HASH,
        CHANGES,
        PARTIES,
        REQUIRED_DOCUMENTS
    }

    /// @notice The key terms an applicant puts on-chain (SWIFT MT700 fields in brackets); the full terms stay
    /// off-chain under `termsHash`.
    struct Terms {
        bytes32 termsHash;
        address token;
        uint96 amount; // 32B, in token units
        uint16 toleranceBps; // 39A, 1000 = "about" (+/-10%)
        uint40 expiry; // 31D, unix time
        uint40 latestShipment; // 44C, unix time
        uint8 presentationDays; // 48, 0 = 21 calendar days
        bool partialDrawings; // 43P
        uint8 requiredDocuments; // 46A, bit i = ITradeDocuments.DocType(i); the bill of lading is always required
        uint32 beneficiary;
        uint32 issuingBank;
        uint32 advisingBank; // 0 = none
        uint32 confirmingBank; // 0 = none requested
        bool billToIssuer; // honoured bills go to the issuing bank rather than the applicant (the applicant's choice)
    }

    /// @notice An amendment: the terms it changes (bit 0 amount, 1 expiry, 2 latest shipment, 3 terms hash).
    struct AmendmentTerms {
        uint8 changes;
        uint96 amount;
        uint40 expiry;
        uint40 latestShipment;
        bytes32 termsHash;
    }

    /// @notice What the beneficiary presents.
    struct Presentment {
        uint96 amount;
        bytes32[] documents; // anchor ids (ITradeDocuments.anchorId)
        bytes32 bill;
        address payee;
        uint16 acceptsAmendment; // the pending amendment this presentation accepts if it complies with it; 0 = none
    }

    /// @notice The beneficiary's off-chain endorsement of the bill to this contract (see BillOfLading).
    struct SignedEndorsement {
        uint40 transfers;
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    /// @notice Everything about a credit in one call.
    struct CreditView {
        CreditState state;
        bool advised;
        bool confirmed;
        bool confirmationLapsed;
        bool cancellationConsented;
        bool billToIssuer;
        bool partialDrawings;
        uint16 toleranceBps;
        uint8 presentationDays;
        uint8 requiredDocuments;
        uint32 applicant;
        uint32 beneficiary;
        uint32 issuingBank;
        uint32 advisingBank;
        uint32 confirmingBank;
        uint40 expiry;
        uint40 latestShipment;
        address token;
        address payer;
        uint96 amount;
        uint96 maxDrawable;
        uint96 escrowed;
        uint96 reserved;
        uint96 available;
        uint16 presentations;
        uint16 amendments;
        bool amendmentPending;
        bytes32 termsHash;
        uint32 applicationBlock;
        uint96 amendmentIncrease;
        bool amendmentFunded;
    }

    /// @notice One presentation in one call.
    struct PresentationView {
        PresentationState state;
        uint16 discrepancies;
        uint40 presentedAt;
        uint40 examinationDeadline;
        uint96 amount;
        address payee;
        bytes32 bill;
    }

    /*//////////////////////////////////////////////////////////////
                              CUSTOM ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice No credit has this id.
    error UnknownCredit(uint256 id);
    /// @notice The credit's state does not allow this.
    error InvalidCreditState(uint256 id, CreditState current);
    /// @notice The caller's organisation is not the party this action needs.
    error NotParty(uint256 id, uint32 actor, Party required);
    /// @notice A term of the application or amendment is unusable.
    error InvalidTerms(Term term);
    /// @notice The token delivered a different amount than was sent (fee-on-transfer tokens are not supported).
    error UnsupportedToken(address token, uint256 expected, uint256 received);
    /// @notice An amendment is waiting for the beneficiary's answer.
    error AmendmentPending(uint256 id, uint16 number);
    /// @notice No amendment is waiting for an answer.
    error NoPendingAmendment(uint256 id);
    /// @notice The amended amount would be below what has been drawn or is reserved for presentations.
    error AmendmentBelowCommitted(uint256 id, uint96 newMaximum, uint96 committed);
    /// @notice Presentation after the credit's expiry (UCP 600 Art. 6(e)).
    error PresentationAfterExpiry(uint256 id, uint40 expiry, uint256 timestamp);
    /// @notice Presentation later than the period after shipment (UCP 600 Art. 14(c)).
    error PresentationTooLate(uint256 id, uint40 shippedOnBoard, uint40 lastDay, uint256 timestamp);
    /// @notice The presented bill is not held by the beneficiary.
    error BillNotHeldByBeneficiary(uint256 id, bytes32 bill, uint32 holder);
    /// @notice The bill was not shipped on board, so no presentation period can start.
    error NotShippedOnBoard(uint256 id, bytes32 bill);
    /// @notice Partial drawings are not allowed (UCP 600 Art. 31); the drawing must be at least `minimum`.
    error PartialDrawingNotAllowed(uint256 id, uint96 amount, uint96 minimum);
    /// @notice The drawing exceeds what is available (amount x (1 + tolerance), less drawings and reservations).
    error DrawingExceedsAvailable(uint256 id, uint96 amount, uint96 available);
    /// @notice The payee address is zero.
    error InvalidPayee(address payee);
    /// @notice No presentation has this number under the credit.
    error UnknownPresentation(uint256 id, uint16 presentation);
    /// @notice The presentation's state does not allow this.
    error InvalidPresentationState(uint256 id, uint16 presentation, PresentationState current);
    /// @notice The examination period is over: the bank is precluded from refusing (UCP 600 Art. 16(f)).
    error ExaminationPeriodOver(uint256 id, uint16 presentation, uint40 deadline);
    /// @notice The bank still has until `deadline` to examine; the beneficiary cannot claim yet.
    error ExaminationPeriodRunning(uint256 id, uint16 presentation, uint40 deadline);
    /// @notice Discrepant documents are honoured only after the applicant's waiver.
    error DiscrepantPresentation(uint256 id, uint16 presentation, uint16 discrepancies);
    /// @notice A refusal must list at least one discrepancy.
    error RefusalWithoutDiscrepancies(uint256 id, uint16 presentation);
    /// @notice A refusal is one notice listing every discrepancy: these found ones are missing from it.
    error RefusalIncomplete(uint256 id, uint16 presentation, uint16 missing);
    /// @notice The credit has not expired yet.
    error CreditNotExpired(uint256 id, uint40 expiry);
    /// @notice The bill is held for a presentation under examination.
    error BillUnderExamination(bytes32 bill);
    /// @notice This contract does not hold the bill, or cannot tell where it came from.
    error BillNotRecoverable(bytes32 bill, uint32 holder);
    /// @notice Cancelling an issued credit needs the beneficiary's consent (UCP 600 Art. 10(a)).
    error CancellationNotConsented(uint256 id);
    /// @notice Only the credit's payer funds an increase, in its own transaction.
    error NotPayer(uint256 id, address caller, address payer);
    /// @notice The pending amendment raises the amount and its payer has not funded the increase yet.
    error AmendmentNotFunded(uint256 id, uint16 number, uint96 increase);
    /// @notice The pending amendment needs no funding, or was funded already.
    error NothingToFund(uint256 id);
    /// @notice The presentation names an amendment that is not the pending one.
    error AmendmentNotPending(uint256 id, uint16 named, uint16 pending);
    /// @notice This contract is not onboarded as its own contract organisation (so it cannot hold bills).
    error EscrowNotOnboarded(address escrow);
    /// @notice Nothing is held for this account in this token.
    error NothingOwed(address token, address account);
    /// @notice The bill is held here for delivery to `heldFor` (the party a presentation released it to).
    error BillHeldForDelivery(bytes32 bill, uint32 heldFor);
    /// @notice No bill is held here for delivery, or its recipient cannot take it yet.
    error BillNotDeliverable(bytes32 bill, uint32 heldFor);

    /*//////////////////////////////////////////////////////////////
                                  EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An applicant applied for a credit.
    event CreditApplied(
        uint256 indexed id, uint32 indexed applicant, uint32 beneficiary, uint32 issuingBank, bytes32 termsHash
    );
    /// @notice The issuing bank issued the credit; `escrowed` moved into this contract.
    event CreditIssued(uint256 indexed id, uint32 issuingBank, uint96 escrowed);
    /// @notice The advising bank advised the credit to the beneficiary.
    event CreditAdvised(uint256 indexed id, uint32 advisingBank);
    /// @notice The confirming bank added its confirmation.
    event CreditConfirmed(uint256 indexed id, uint32 confirmingBank);
    /// @notice The issuing bank issued an amendment; it is bound by it from now on (UCP 600 Art. 10(b)).
    event AmendmentIssued(uint256 indexed id, uint16 number, AmendmentTerms amendment);
    /// @notice The beneficiary accepted the amendment (or presented documents complying with it).
    event AmendmentAccepted(uint256 indexed id, uint16 number, bool byPresentation);
    /// @notice The beneficiary rejected the amendment; a partial acceptance counts as rejection (Art. 10(e)).
    event AmendmentRejected(uint256 indexed id, uint16 number, bool partialAcceptance);
    /// @notice The confirming bank does not extend its confirmation to the pending amendment.
    event AmendmentConfirmationDeclined(uint256 indexed id, uint16 number);
    /// @notice The beneficiary presented documents and the bill; the bill is now in this contract's custody.
    event DocumentsPresented(
        uint256 indexed id,
        uint16 indexed presentation,
        bytes32 bill,
        uint96 amount,
        uint16 discrepancies,
        uint40 examinationDeadline
    );
    /// @notice The bank refused, in one notice listing every discrepancy.
    event PresentationRefused(uint256 indexed id, uint16 indexed presentation, uint16 discrepancies);
    /// @notice The applicant waived the discrepancies.
    event DiscrepanciesWaived(uint256 indexed id, uint16 indexed presentation);
    /// @notice Delivery versus payment: `amount` to `payee` and the bill to organisation `billTo`, in one transaction.
    event PresentationHonoured(
        uint256 indexed id, uint16 indexed presentation, uint96 amount, address payee, uint32 billTo, bool precluded
    );
    /// @notice After a final refusal the bill went back to the beneficiary.
    event DocumentsReturned(uint256 indexed id, uint16 indexed presentation, uint32 returnedTo);
    /// @notice The beneficiary consented to cancellation.
    event CancellationConsented(uint256 indexed id);
    /// @notice The credit expired or was cancelled; what was left in escrow went back to the payer.
    event CreditClosed(uint256 indexed id, CreditState state, uint96 refunded);
    /// @notice A bill held outside any presentation went back to the organisation it came from.
    event BillRecovered(bytes32 indexed bill, uint32 returnedTo);
    /// @notice The payer escrowed the increase of the pending amendment.
    event AmendmentFunded(uint256 indexed id, uint16 number, uint96 increase);
    /// @notice A payment the token refused to deliver is held here for `account` to withdraw.
    event PaymentHeld(address indexed token, address indexed account, uint96 amount);
    /// @notice `account` withdrew what was held for it, to `to`.
    event PaymentWithdrawn(address indexed token, address indexed account, address to, uint96 amount);
    /// @notice A bill due to an organisation that cannot take it now (suspended or revoked) is held for it.
    event BillHeld(bytes32 indexed bill, uint32 heldFor);
    /// @notice A held bill was delivered.
    event HeldBillDelivered(bytes32 indexed bill, uint32 to);
    /// @notice A bank set or cleared a holiday on its banking-day calendar (`day` = unix time / 86400).
    event HolidaySet(uint32 indexed bank, uint32 day, bool holiday);
}
