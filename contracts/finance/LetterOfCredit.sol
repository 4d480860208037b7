// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPortRegistry} from "../access/IPortRegistry.sol";
import {IBillOfLading} from "../documents/IBillOfLading.sol";
import {ITradeDocuments} from "../documents/ITradeDocuments.sol";
import {ILetterOfCredit} from "./ILetterOfCredit.sol";

/// @title LetterOfCredit
/// @notice Documentary credits under ICC UCP 600 / eUCP 2.0 with the credit amount escrowed in an ERC-20 and
/// honour settled as delivery versus payment against the electronic bill of lading.
/// @dev Credit life (UCP article in brackets):
///
///     APPLIED --issue (issuing bank; escrow pulled from the applicant's payer)--> ISSUED
///     APPLIED --cancel (applicant)--> CANCELLED
///     ISSUED: advise (advising bank), confirm (confirming bank, Art. 8), amend (issuer, bound at once, Art. 10(b))
///             -> accept (beneficiary; partial acceptance = rejection, Art. 10(e); a complying presentation
///                counts as acceptance, Art. 10(c)) | reject; the confirmer may decline the amendment (Art. 10(b))
///     ISSUED --expire (anyone, after expiry, nothing under examination)--> EXPIRED, the rest refunded
///     ISSUED --cancel (issuer, with the beneficiary's consent, Art. 10(a))--> CANCELLED, the rest refunded
///
/// Presentation life:
///
///     present (beneficiary: documents + the bill, endorsed to this contract by signature; checks Art. 6(e),
///       14(c), 30, 31 on-chain) -> PRESENTED
///     PRESENTED --honour (examining bank; complying, or after a waiver)--> HONOURED   (delivery versus payment)
///     PRESENTED --refuse (examining bank, one notice listing every discrepancy, within 5 banking days, Art. 14(b),
///       16(c)-(d))--> REFUSED --waive (applicant, Art. 16(b))--> WAIVED --honour--> HONOURED
///     REFUSED --returnDocuments (examining bank)--> RETURNED, the bill back to the beneficiary
///     PRESENTED | WAIVED after the deadline --claim (beneficiary; the bank is precluded, Art. 16(f))--> HONOURED
///
/// Escrow invariant: for every token, this contract's balance equals the sum of `escrowed` over its credits.
/// Every function that moves tokens is nonReentrant and updates state before the transfer.
contract LetterOfCredit is ILetterOfCredit, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                                 CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Discrepancy codes found on-chain at presentation (bits of a uint16). Banks may add their own
    /// (bits 8-15) in a refusal notice.
    uint16 public constant MISSING_DOCUMENT = 1 << 0;
    uint16 public constant DOCUMENT_NOT_ANCHORED = 1 << 1;
    uint16 public constant LATE_SHIPMENT = 1 << 2;
    uint16 public constant INVOICE_NOT_BY_BENEFICIARY = 1 << 3;

    uint8 private constant _ADVISED = 1;
    uint8 private constant _CONFIRMED = 2;
    uint8 private constant _CONFIRMATION_LAPSED = 4;
    uint8 private constant _CANCELLATION_CONSENTED = 8;
    uint8 private constant _BILL_TO_ISSUER = 16;
    uint8 private constant _PARTIAL_DRAWINGS = 32;

    uint8 private constant _CHANGE_AMOUNT = 1;
    uint8 private constant _CHANGE_EXPIRY = 2;
    uint8 private constant _CHANGE_LATEST_SHIPMENT = 4;
    uint8 private constant _CHANGE_TERMS_HASH = 8;

    uint16 private constant _BPS = 10_000;
    uint16 private constant _MAX_TOLERANCE_BPS = 1_000;
    uint8 private constant _DEFAULT_PRESENTATION_DAYS = 21;
    uint8 private constant _EXAMINATION_BANKING_DAYS = 5;
    uint32 private constant _MAX_EXAMINATION_DAYS = 21;
    uint8 private constant _ALL_DOCUMENTS = 31;

    /// @notice The participant registry.
    IPortRegistry public immutable registry;
    /// @notice The electronic bills of lading presented under the credits.
    IBillOfLading public immutable billOfLading;
    /// @notice The anchors of the other presented documents.
    ITradeDocuments public immutable tradeDocuments;

    /*//////////////////////////////////////////////////////////////
                                  STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Slot 0: parties and the terms every action reads.
    struct Credit {
        CreditState state;
        uint8 flags;
        uint16 toleranceBps;
        uint8 presentationDays;
        uint8 requiredDocuments;
        uint32 applicant;
        uint32 beneficiary;
        uint32 issuingBank;
        uint32 advisingBank;
        uint32 confirmingBank;
        uint40 expiry;
    }

    /// @dev Slot 1: the token and what presentations under examination have reserved.
    struct Escrow {
        address token;
        uint96 reserved;
    }

    /// @dev Slot 2: amounts and counters.
    struct Amounts {
        uint96 amount;
        uint96 escrowed;
        uint40 latestShipment;
        uint16 presentations;
    }

    /// @dev Written at application, read by views and refunds.
    struct Details {
        address payer;
        uint32 applicationBlock;
        uint16 amendments;
        bytes32 termsHash;
    }

    struct PendingAmendment {
        uint8 changes;
        bool confirmationDeclined;
        uint96 amount;
        uint96 escrowIncrease;
        uint40 expiry;
        uint40 latestShipment;
        bytes32 termsHash;
    }

    struct Presentation {
        PresentationState state;
        uint16 discrepancies;
        uint40 presentedAt;
        uint40 deadline;
        uint96 amount;
        address payee;
        bytes32 bill;
    }

    uint256 private _creditCount;
    mapping(uint256 id => Credit) private _credits;
    mapping(uint256 id => Escrow) private _escrows;
    mapping(uint256 id => Amounts) private _amounts;
    mapping(uint256 id => Details) private _details;
    mapping(uint256 id => PendingAmendment) private _pending;
    mapping(uint256 id => mapping(uint16 number => Presentation)) private _presentations;
    mapping(uint32 bank => mapping(uint32 day => bool)) private _holidays;
    /// @dev Bills held for a presentation under examination; any other bill this contract holds is recoverable.
    mapping(bytes32 bill => bool) private _underExamination;

    /*//////////////////////////////////////////////////////////////
                                CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    constructor(IPortRegistry registry_, IBillOfLading billOfLading_, ITradeDocuments tradeDocuments_) {
        registry = registry_;
        billOfLading = billOfLading_;
        tradeDocuments = tradeDocuments_;
    }

    /*//////////////////////////////////////////////////////////////
                        APPLICATION AND ISSUANCE
    //////////////////////////////////////////////////////////////*/

    /// @notice Apply for a credit. The caller's organisation is the applicant and the caller's address the payer
    /// whose tokens the issuing bank escrows at issuance (approve this contract, or use `applyForCreditWithPermit`).
    /// @return id The credit's id (sequential from 1).
    function applyForCredit(Terms calldata terms) external returns (uint256 id) {
        id = _apply(terms);
    }

    /// @notice As `applyForCredit`, with an EIP-2612 permit for the escrow (amount x (1 + tolerance)) in the same call.
    function applyForCreditWithPermit(Terms calldata terms, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        returns (uint256 id)
    {
        uint256 maximum = _maximum(terms.amount, terms.toleranceBps);
        // A front-run permit (already used) must not block the application: the allowance is what counts.
        try IERC20Permit(terms.token).permit(msg.sender, address(this), maximum, deadline, v, r, s) {} catch {}
        id = _apply(terms);
    }

    /// @notice The issuing bank issues the credit: the maximum drawable amount moves from the payer into escrow.
    /// @param billToIssuer Whether honoured bills go to the issuing bank (until the applicant reimburses it)
    /// rather than to the applicant.
    function issue(uint256 id, bool billToIssuer) external nonReentrant {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.issuingBank, Party.ISSUING_BANK);
        if (credit.state != CreditState.APPLIED) revert InvalidCreditState(id, credit.state);
        Amounts memory amounts = _amounts[id];
        uint96 maximum = _maximum(amounts.amount, credit.toleranceBps);
        _credits[id].state = CreditState.ISSUED;
        if (billToIssuer) _credits[id].flags = credit.flags | _BILL_TO_ISSUER;
        _amounts[id].escrowed = maximum;
        _pull(_escrows[id].token, _details[id].payer, maximum);
        emit CreditIssued(id, credit.issuingBank, maximum);
    }

    /// @notice The advising bank advises the credit to the beneficiary.
    function advise(uint256 id) external {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.advisingBank, Party.ADVISING_BANK);
        _requireIssued(id, credit);
        _credits[id].flags = credit.flags | _ADVISED;
        emit CreditAdvised(id, credit.advisingBank);
    }

    /// @notice The confirming bank named in the terms adds its confirmation.
    function confirm(uint256 id) external {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.confirmingBank, Party.CONFIRMING_BANK);
        _requireIssued(id, credit);
        _credits[id].flags = credit.flags | _CONFIRMED;
        emit CreditConfirmed(id, credit.confirmingBank);
    }

    /*//////////////////////////////////////////////////////////////
                               AMENDMENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The issuing bank issues an amendment. It is bound by it at once: an increase is escrowed now.
    function amend(uint256 id, AmendmentTerms calldata amendment) external nonReentrant {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.issuingBank, Party.ISSUING_BANK);
        _requireIssued(id, credit);
        if (_pending[id].changes != 0) revert AmendmentPending(id, _details[id].amendments);
        uint8 changes = amendment.changes;
        if (changes == 0 || changes > 15) revert InvalidTerms(Term.CHANGES);
        Amounts memory amounts = _amounts[id];
        uint40 expiry = changes & _CHANGE_EXPIRY != 0 ? amendment.expiry : credit.expiry;
        uint40 latest = changes & _CHANGE_LATEST_SHIPMENT != 0 ? amendment.latestShipment : amounts.latestShipment;
        if (expiry <= block.timestamp) revert InvalidTerms(Term.EXPIRY);
        if (latest > expiry) revert InvalidTerms(Term.LATEST_SHIPMENT);
        if (changes & _CHANGE_TERMS_HASH != 0 && amendment.termsHash == bytes32(0)) revert InvalidTerms(Term.TERMS_HASH);

        uint96 increase;
        if (changes & _CHANGE_AMOUNT != 0) {
            if (amendment.amount == 0) revert InvalidTerms(Term.AMOUNT);
            uint96 oldMaximum = _maximum(amounts.amount, credit.toleranceBps);
            uint96 newMaximum = _maximum(amendment.amount, credit.toleranceBps);
            uint96 committed = oldMaximum - amounts.escrowed + _escrows[id].reserved;
            if (newMaximum < committed) revert AmendmentBelowCommitted(id, newMaximum, committed);
            if (newMaximum > oldMaximum) increase = newMaximum - oldMaximum;
        }
        uint16 number = ++_details[id].amendments;
        _pending[id] = PendingAmendment({
            changes: changes,
            confirmationDeclined: false,
            amount: amendment.amount,
            escrowIncrease: increase,
            expiry: expiry,
            latestShipment: latest,
            termsHash: amendment.termsHash
        });
        emit AmendmentIssued(id, number, amendment);
        if (increase != 0) {
            _amounts[id].escrowed = amounts.escrowed + increase;
            _pull(_escrows[id].token, _details[id].payer, increase);
        }
    }

    /// @notice The beneficiary answers the pending amendment. `acceptedChanges` must name every change it makes:
    /// accepting only some of them is a rejection (UCP 600 Art. 10(e)).
    function acceptAmendment(uint256 id, uint8 acceptedChanges) external nonReentrant {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.beneficiary, Party.BENEFICIARY);
        PendingAmendment memory amendment = _requirePending(id);
        if (acceptedChanges != amendment.changes) {
            _rejectAmendment(id, true);
        } else {
            _applyAmendment(id, credit, amendment, false);
        }
    }

    /// @notice The beneficiary rejects the pending amendment; an escrowed increase goes back to the payer.
    function rejectAmendment(uint256 id) external nonReentrant {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.beneficiary, Party.BENEFICIARY);
        _requirePending(id);
        _rejectAmendment(id, false);
    }

    /// @notice The confirming bank does not extend its confirmation to the pending amendment: once the amendment
    /// is accepted, only the issuing bank examines and honours.
    function declineAmendmentConfirmation(uint256 id) external {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.confirmingBank, Party.CONFIRMING_BANK);
        if (credit.flags & _CONFIRMED == 0) revert NotParty(id, credit.confirmingBank, Party.CONFIRMING_BANK);
        _requirePending(id);
        _pending[id].confirmationDeclined = true;
        emit AmendmentConfirmationDeclined(id, _details[id].amendments);
    }

    /*//////////////////////////////////////////////////////////////
                              PRESENTATION
    //////////////////////////////////////////////////////////////*/

    /// @notice The beneficiary presents documents and the bill of lading. The bill passes into this contract's
    /// custody through an endorsement the beneficiary's signer signed off-chain (EIP-712, see BillOfLading).
    /// @param presentment The drawing, the anchored documents' hashes, the bill (shipped on board, held by the
    /// beneficiary) and the payee.
    /// @param endorsement The beneficiary's signed endorsement of the bill to this contract's organisation, with
    /// this contract as its only relayer.
    /// @return number The presentation's number under the credit.
    function present(uint256 id, Presentment calldata presentment, SignedEndorsement calldata endorsement)
        external
        nonReentrant
        returns (uint16 number)
    {
        Credit memory credit = _credit(id);
        uint32 actor = _onlyParty(id, credit.beneficiary, Party.BENEFICIARY);
        _requireIssued(id, credit);
        if (presentment.payee == address(0)) revert InvalidPayee(presentment.payee);
        IBillOfLading.BillStatus memory status = billOfLading.statusOf(presentment.bill);
        if (status.holder != actor) revert BillNotHeldByBeneficiary(id, presentment.bill, status.holder);
        if (status.shippedOnBoardDate == 0) revert NotShippedOnBoard(id, presentment.bill);

        // A presentation complying with a pending amendment accepts it (UCP 600 Art. 10(c)).
        PendingAmendment memory amendment = _pending[id];
        if (amendment.changes != 0 && _complies(id, credit, amendment, presentment, status, actor)) {
            _applyAmendment(id, credit, amendment, true);
            credit = _credits[id];
        }
        uint16 discrepancies = _check(id, credit, presentment, status, actor);
        number = _record(id, credit.issuingBank, presentment, discrepancies);
        billOfLading.endorseBySignature(
            presentment.bill,
            registry.orgOf(address(this)),
            false,
            address(this),
            endorsement.nonce,
            endorsement.deadline,
            endorsement.signature
        );
    }

    /*//////////////////////////////////////////////////////////////
                               EXAMINATION
    //////////////////////////////////////////////////////////////*/

    /// @notice The examining bank honours a complying (or waived) presentation: delivery versus payment.
    function honour(uint256 id, uint16 number) external nonReentrant {
        Credit memory credit = _credit(id);
        _onlyExaminingBank(id, credit);
        Presentation memory presentation = _presentation(id, number);
        if (presentation.state == PresentationState.PRESENTED) {
            if (presentation.discrepancies != 0) revert DiscrepantPresentation(id, number, presentation.discrepancies);
        } else if (presentation.state != PresentationState.WAIVED) {
            revert InvalidPresentationState(id, number, presentation.state);
        }
        _honour(id, number, credit, presentation, false);
    }

    /// @notice The examining bank refuses, within the examination period, in one notice that lists every
    /// discrepancy (at least those found on-chain). The bill stays in custody for a waiver or its return.
    function refuse(uint256 id, uint16 number, uint16 discrepancies) external {
        Credit memory credit = _credit(id);
        _onlyExaminingBank(id, credit);
        Presentation memory presentation = _presentation(id, number);
        if (presentation.state != PresentationState.PRESENTED) {
            revert InvalidPresentationState(id, number, presentation.state);
        }
        if (block.timestamp > presentation.deadline) revert ExaminationPeriodOver(id, number, presentation.deadline);
        if (discrepancies == 0) revert RefusalWithoutDiscrepancies(id, number);
        uint16 missing = presentation.discrepancies & ~discrepancies;
        if (missing != 0) revert RefusalIncomplete(id, number, missing);
        Presentation storage stored = _presentations[id][number];
        stored.state = PresentationState.REFUSED;
        stored.discrepancies = discrepancies;
        emit PresentationRefused(id, number, discrepancies);
    }

    /// @notice The applicant waives the discrepancies of a presentation (before or after the refusal).
    function waive(uint256 id, uint16 number) external {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.applicant, Party.APPLICANT);
        Presentation memory presentation = _presentation(id, number);
        if (presentation.state != PresentationState.PRESENTED && presentation.state != PresentationState.REFUSED) {
            revert InvalidPresentationState(id, number, presentation.state);
        }
        _presentations[id][number].state = PresentationState.WAIVED;
        emit DiscrepanciesWaived(id, number);
    }

    /// @notice After a final refusal the bill goes back to the beneficiary and the reservation is released; the
    /// examining bank or the beneficiary itself may do it (a bank cannot hold refused documents hostage).
    function returnDocuments(uint256 id, uint16 number) external nonReentrant {
        Credit memory credit = _credit(id);
        (uint32 actor,,) = registry.requireActor(msg.sender);
        if (actor != credit.beneficiary) _onlyExaminingBank(id, credit);
        Presentation memory presentation = _presentation(id, number);
        if (presentation.state != PresentationState.REFUSED) {
            revert InvalidPresentationState(id, number, presentation.state);
        }
        _presentations[id][number].state = PresentationState.RETURNED;
        _escrows[id].reserved -= presentation.amount;
        delete _underExamination[presentation.bill];
        emit DocumentsReturned(id, number, credit.beneficiary);
        billOfLading.endorse(presentation.bill, credit.beneficiary);
    }

    /// @notice The beneficiary claims honour when the bank let the examination period pass without refusing:
    /// the bank is precluded (UCP 600 Art. 16(f)).
    function claim(uint256 id, uint16 number) external nonReentrant {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.beneficiary, Party.BENEFICIARY);
        Presentation memory presentation = _presentation(id, number);
        if (presentation.state != PresentationState.PRESENTED && presentation.state != PresentationState.WAIVED) {
            revert InvalidPresentationState(id, number, presentation.state);
        }
        if (block.timestamp <= presentation.deadline) {
            revert ExaminationPeriodRunning(id, number, presentation.deadline);
        }
        _honour(id, number, credit, presentation, true);
    }

    /// @notice Give back a bill this contract holds outside any presentation (transferred or endorsed to the
    /// escrow organisation by mistake): it returns to the organisation it came from. Anyone may call it.
    function recoverBill(bytes32 bill) external nonReentrant {
        if (_underExamination[bill]) revert BillUnderExamination(bill);
        IBillOfLading.BillStatus memory status = billOfLading.statusOf(bill);
        uint32 escrow = registry.orgOf(address(this));
        if (status.holder != escrow || status.previousHolder == 0) revert BillNotRecoverable(bill, status.holder);
        emit BillRecovered(bill, status.previousHolder);
        // Title came with the bill only if it was endorsed here; otherwise possession alone goes back.
        if (status.endorsee == escrow) {
            billOfLading.endorse(bill, status.previousHolder);
        } else {
            billOfLading.transfer(bill, status.previousHolder);
        }
    }

    /// @notice A bank marks (or clears) a holiday on its own banking-day calendar.
    /// @param day Days since 1970-01-01 (unix time / 86400, UTC).
    function setHoliday(uint32 day, bool holiday) external {
        uint32 bank = registry.requireActing(msg.sender, IPortRegistry.Role.BANK);
        _holidays[bank][day] = holiday;
        emit HolidaySet(bank, day, holiday);
    }

    /*//////////////////////////////////////////////////////////////
                          EXPIRY AND CANCELLATION
    //////////////////////////////////////////////////////////////*/

    /// @notice After expiry, with nothing under examination, anyone closes the credit: the rest goes to the payer.
    function expire(uint256 id) external nonReentrant {
        Credit memory credit = _credit(id);
        _requireIssued(id, credit);
        if (block.timestamp <= credit.expiry) revert CreditNotExpired(id, credit.expiry);
        _close(id, CreditState.EXPIRED);
    }

    /// @notice The beneficiary consents to the cancellation of an issued credit.
    function consentToCancellation(uint256 id) external {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.beneficiary, Party.BENEFICIARY);
        _requireIssued(id, credit);
        _credits[id].flags = credit.flags | _CANCELLATION_CONSENTED;
        emit CancellationConsented(id);
    }

    /// @notice Cancel: the applicant withdraws an application, or the issuing bank cancels an issued credit with
    /// the beneficiary's consent; the rest of the escrow goes back to the payer.
    function cancel(uint256 id) external nonReentrant {
        Credit memory credit = _credit(id);
        if (credit.state == CreditState.APPLIED) {
            _onlyParty(id, credit.applicant, Party.APPLICANT);
            _credits[id].state = CreditState.CANCELLED;
            emit CreditClosed(id, CreditState.CANCELLED, 0);
            return;
        }
        _onlyParty(id, credit.issuingBank, Party.ISSUING_BANK);
        _requireIssued(id, credit);
        if (credit.flags & _CANCELLATION_CONSENTED == 0) revert CancellationNotConsented(id);
        _close(id, CreditState.CANCELLED);
    }

    /*//////////////////////////////////////////////////////////////
                                 QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @notice Everything about credit `id` in one call.
    function creditOf(uint256 id) external view returns (CreditView memory view_) {
        Credit memory credit = _credit(id);
        Amounts memory amounts = _amounts[id];
        Escrow memory escrow = _escrows[id];
        Details memory details = _details[id];
        uint96 maximum = _maximum(amounts.amount, credit.toleranceBps);
        view_.state = credit.state;
        view_.advised = credit.flags & _ADVISED != 0;
        view_.confirmed = credit.flags & _CONFIRMED != 0;
        view_.confirmationLapsed = credit.flags & _CONFIRMATION_LAPSED != 0;
        view_.cancellationConsented = credit.flags & _CANCELLATION_CONSENTED != 0;
        view_.billToIssuer = credit.flags & _BILL_TO_ISSUER != 0;
        view_.partialDrawings = credit.flags & _PARTIAL_DRAWINGS != 0;
        view_.toleranceBps = credit.toleranceBps;
        view_.presentationDays = credit.presentationDays;
        view_.requiredDocuments = credit.requiredDocuments;
        view_.applicant = credit.applicant;
        view_.beneficiary = credit.beneficiary;
        view_.issuingBank = credit.issuingBank;
        view_.advisingBank = credit.advisingBank;
        view_.confirmingBank = credit.confirmingBank;
        view_.expiry = credit.expiry;
        view_.latestShipment = amounts.latestShipment;
        view_.token = escrow.token;
        view_.payer = details.payer;
        view_.amount = amounts.amount;
        view_.maxDrawable = maximum;
        view_.escrowed = amounts.escrowed;
        view_.reserved = escrow.reserved;
        view_.available = _available(id, amounts.escrowed, escrow.reserved);
        view_.presentations = amounts.presentations;
        view_.amendments = details.amendments;
        view_.amendmentPending = _pending[id].changes != 0;
        view_.termsHash = details.termsHash;
        view_.applicationBlock = details.applicationBlock;
    }

    /// @notice One presentation in one call.
    function presentationOf(uint256 id, uint16 number) external view returns (PresentationView memory) {
        _credit(id);
        Presentation memory p = _presentation(id, number);
        return PresentationView(p.state, p.discrepancies, p.presentedAt, p.deadline, p.amount, p.payee, p.bill);
    }

    /// @notice The pending amendment of credit `id` (all zero if none) and its number.
    function pendingAmendmentOf(uint256 id) external view returns (AmendmentTerms memory amendment, uint16 number) {
        PendingAmendment memory pending = _pending[id];
        amendment = AmendmentTerms(
            pending.changes, pending.amount, pending.expiry, pending.latestShipment, pending.termsHash
        );
        number = pending.changes == 0 ? 0 : _details[id].amendments;
    }

    /// @notice Whether `day` (unix time / 86400) is a banking day of organisation `bank`.
    function isBankingDay(uint32 bank, uint32 day) public view returns (bool) {
        // 1970-01-01 was a Thursday: day % 7 == 2 is a Saturday, 3 a Sunday.
        uint32 weekday = day % 7;
        return weekday != 2 && weekday != 3 && !_holidays[bank][day];
    }

    /// @notice The end (unix time) of the fifth banking day of `bank` after the day of `timestamp`.
    function examinationDeadline(uint32 bank, uint256 timestamp) external view returns (uint40) {
        return _examinationDeadline(bank, timestamp);
    }

    /// @notice Number of credits ever applied for.
    function creditCount() external view returns (uint256) {
        return _creditCount;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _apply(Terms calldata terms) private returns (uint256 id) {
        (uint32 applicant,,) = registry.requireActor(msg.sender);
        if (terms.amount == 0) revert InvalidTerms(Term.AMOUNT);
        if (terms.toleranceBps > _MAX_TOLERANCE_BPS) revert InvalidTerms(Term.TOLERANCE);
        if (terms.expiry <= block.timestamp) revert InvalidTerms(Term.EXPIRY);
        if (terms.latestShipment > terms.expiry) revert InvalidTerms(Term.LATEST_SHIPMENT);
        if (terms.token.code.length == 0) revert InvalidTerms(Term.TOKEN);
        if (terms.termsHash == bytes32(0)) revert InvalidTerms(Term.TERMS_HASH);
        if (terms.requiredDocuments > _ALL_DOCUMENTS) revert InvalidTerms(Term.REQUIRED_DOCUMENTS);
        if (terms.beneficiary == applicant || terms.issuingBank == applicant) revert InvalidTerms(Term.PARTIES);
        _maximum(terms.amount, terms.toleranceBps); // reverts if amount x (1 + tolerance) overflows uint96
        registry.requireActiveOrganisation(terms.beneficiary);
        registry.requireOrganisationRole(terms.issuingBank, IPortRegistry.Role.BANK);
        if (terms.advisingBank != 0) registry.requireOrganisationRole(terms.advisingBank, IPortRegistry.Role.BANK);
        if (terms.confirmingBank != 0) registry.requireOrganisationRole(terms.confirmingBank, IPortRegistry.Role.BANK);

        id = ++_creditCount;
        _credits[id] = Credit({
            state: CreditState.APPLIED,
            flags: terms.partialDrawings ? _PARTIAL_DRAWINGS : 0,
            toleranceBps: terms.toleranceBps,
            presentationDays: terms.presentationDays == 0 ? _DEFAULT_PRESENTATION_DAYS : terms.presentationDays,
            requiredDocuments: terms.requiredDocuments,
            applicant: applicant,
            beneficiary: terms.beneficiary,
            issuingBank: terms.issuingBank,
            advisingBank: terms.advisingBank,
            confirmingBank: terms.confirmingBank,
            expiry: terms.expiry
        });
        _escrows[id] = Escrow(terms.token, 0);
        _amounts[id] = Amounts(terms.amount, 0, terms.latestShipment, 0);
        _details[id] = Details(msg.sender, uint32(block.number), 0, terms.termsHash);
        emit CreditApplied(id, applicant, terms.beneficiary, terms.issuingBank, terms.termsHash);
    }

    /// @dev Hard rules revert; document discrepancies are returned for the bank to examine.
    function _check(
        uint256 id,
        Credit memory credit,
        Presentment calldata presentment,
        IBillOfLading.BillStatus memory status,
        uint32 beneficiary
    ) private view returns (uint16 discrepancies) {
        if (block.timestamp > credit.expiry) revert PresentationAfterExpiry(id, credit.expiry, block.timestamp);
        uint40 lastDay = _lastPresentationDay(credit.presentationDays, credit.expiry, status.shippedOnBoardDate);
        if (block.timestamp > lastDay) {
            revert PresentationTooLate(id, status.shippedOnBoardDate, lastDay, block.timestamp);
        }
        Amounts memory amounts = _amounts[id];
        uint96 available = _available(id, amounts.escrowed, _escrows[id].reserved);
        _checkDrawing(id, credit, amounts, presentment.amount, available);
        discrepancies =
            _documentDiscrepancies(credit, amounts.latestShipment, presentment.documents, status, beneficiary);
    }

    /// @dev The same rules as `_check` under the pending amendment's terms, answered without reverting.
    function _complies(
        uint256 id,
        Credit memory credit,
        PendingAmendment memory amendment,
        Presentment calldata presentment,
        IBillOfLading.BillStatus memory status,
        uint32 beneficiary
    ) private view returns (bool) {
        uint96 amount = presentment.amount;
        Amounts memory amounts = _amounts[id];
        // Drawn and reserved so far; the escrow already holds the amendment's increase.
        uint96 committed = _maximum(amounts.amount, credit.toleranceBps) + amendment.escrowIncrease
            - amounts.escrowed + _escrows[id].reserved;
        uint40 expiry = amendment.changes & _CHANGE_EXPIRY != 0 ? amendment.expiry : credit.expiry;
        uint40 latest = amendment.changes & _CHANGE_LATEST_SHIPMENT != 0 ? amendment.latestShipment : amounts.latestShipment;
        uint96 nominal = amendment.changes & _CHANGE_AMOUNT != 0 ? amendment.amount : amounts.amount;
        if (block.timestamp > _lastPresentationDay(credit.presentationDays, expiry, status.shippedOnBoardDate)) {
            return false;
        }
        if (amount == 0 || uint256(amount) + committed > _maximum(nominal, credit.toleranceBps)) return false;
        if (credit.flags & _PARTIAL_DRAWINGS == 0) {
            if (committed != 0 || amount < _minimumFull(nominal, credit.toleranceBps)) return false;
        }
        return _documentDiscrepancies(credit, latest, presentment.documents, status, beneficiary) == 0;
    }

    function _record(uint256 id, uint32 examiningBank, Presentment calldata presentment, uint16 discrepancies)
        private
        returns (uint16 number)
    {
        number = ++_amounts[id].presentations;
        uint40 deadline = _examinationDeadline(examiningBank, block.timestamp);
        _presentations[id][number] = Presentation({
            state: PresentationState.PRESENTED,
            discrepancies: discrepancies,
            presentedAt: uint40(block.timestamp),
            deadline: deadline,
            amount: presentment.amount,
            payee: presentment.payee,
            bill: presentment.bill
        });
        _escrows[id].reserved += presentment.amount;
        _underExamination[presentment.bill] = true;
        emit DocumentsPresented(id, number, presentment.bill, presentment.amount, discrepancies, deadline);
    }

    function _checkDrawing(uint256 id, Credit memory credit, Amounts memory amounts, uint96 amount, uint96 available)
        private
        pure
    {
        if (amount == 0 || amount > available) revert DrawingExceedsAvailable(id, amount, available);
        if (credit.flags & _PARTIAL_DRAWINGS == 0) {
            uint96 minimum = _minimumFull(amounts.amount, credit.toleranceBps);
            uint96 maximum = _maximum(amounts.amount, credit.toleranceBps);
            // Without partial drawings the credit is drawn once, in full (within the tolerance).
            if (amount < minimum || available != maximum) revert PartialDrawingNotAllowed(id, amount, minimum);
        }
    }

    function _documentDiscrepancies(
        Credit memory credit,
        uint40 latestShipment,
        bytes32[] calldata documents,
        IBillOfLading.BillStatus memory status,
        uint32 beneficiary
    ) private view returns (uint16 discrepancies) {
        if (status.shippedOnBoardDate > latestShipment) discrepancies |= LATE_SHIPMENT;
        uint8 presented;
        for (uint256 i; i < documents.length; ++i) {
            ITradeDocuments.Anchor memory anchor = tradeDocuments.tryAnchorOf(documents[i]);
            if (anchor.anchoredAt == 0) {
                discrepancies |= DOCUMENT_NOT_ANCHORED;
                continue;
            }
            presented |= uint8(1) << uint8(anchor.docType);
            if (anchor.docType == ITradeDocuments.DocType.COMMERCIAL_INVOICE && anchor.issuer != beneficiary) {
                discrepancies |= INVOICE_NOT_BY_BENEFICIARY;
            }
        }
        if (presented & credit.requiredDocuments != credit.requiredDocuments) discrepancies |= MISSING_DOCUMENT;
    }

    function _honour(uint256 id, uint16 number, Credit memory credit, Presentation memory presentation, bool precluded)
        private
    {
        // Effects first; then both legs of delivery versus payment, which succeed together or revert together.
        _presentations[id][number].state = PresentationState.HONOURED;
        _amounts[id].escrowed -= presentation.amount;
        delete _underExamination[presentation.bill];
        Escrow storage escrow = _escrows[id];
        escrow.reserved -= presentation.amount;
        uint32 billTo = credit.flags & _BILL_TO_ISSUER != 0 ? credit.issuingBank : credit.applicant;
        emit PresentationHonoured(id, number, presentation.amount, presentation.payee, billTo, precluded);
        IERC20(escrow.token).safeTransfer(presentation.payee, presentation.amount);
        billOfLading.endorse(presentation.bill, billTo);
    }

    function _applyAmendment(uint256 id, Credit memory credit, PendingAmendment memory amendment, bool byPresentation)
        private
    {
        uint8 changes = amendment.changes;
        uint16 number = _details[id].amendments;
        delete _pending[id];
        if (changes & _CHANGE_EXPIRY != 0) _credits[id].expiry = amendment.expiry;
        if (changes & _CHANGE_LATEST_SHIPMENT != 0) _amounts[id].latestShipment = amendment.latestShipment;
        if (changes & _CHANGE_TERMS_HASH != 0) _details[id].termsHash = amendment.termsHash;
        if (amendment.confirmationDeclined) _credits[id].flags = credit.flags | _CONFIRMATION_LAPSED;
        emit AmendmentAccepted(id, number, byPresentation);
        if (changes & _CHANGE_AMOUNT != 0) {
            Amounts storage amounts = _amounts[id];
            uint96 oldMaximum = _maximum(amounts.amount, credit.toleranceBps);
            uint96 newMaximum = _maximum(amendment.amount, credit.toleranceBps);
            // Presentations made since the amendment was issued may have reserved more than it leaves.
            uint96 committed = oldMaximum + amendment.escrowIncrease - amounts.escrowed + _escrows[id].reserved;
            if (newMaximum < committed) revert AmendmentBelowCommitted(id, newMaximum, committed);
            amounts.amount = amendment.amount;
            if (newMaximum < oldMaximum) {
                uint96 refund = oldMaximum - newMaximum;
                amounts.escrowed -= refund;
                IERC20(_escrows[id].token).safeTransfer(_details[id].payer, refund);
            }
        }
    }

    function _rejectAmendment(uint256 id, bool partialAcceptance) private {
        uint96 increase = _pending[id].escrowIncrease;
        uint16 number = _details[id].amendments;
        delete _pending[id];
        emit AmendmentRejected(id, number, partialAcceptance);
        if (increase != 0) {
            _amounts[id].escrowed -= increase;
            IERC20(_escrows[id].token).safeTransfer(_details[id].payer, increase);
        }
    }

    function _close(uint256 id, CreditState state) private {
        uint96 reserved = _escrows[id].reserved;
        if (reserved != 0) revert PresentationsPending(id, reserved);
        uint96 refund = _amounts[id].escrowed;
        _credits[id].state = state;
        _amounts[id].escrowed = 0;
        delete _pending[id];
        emit CreditClosed(id, state, refund);
        if (refund != 0) IERC20(_escrows[id].token).safeTransfer(_details[id].payer, refund);
    }

    /// @dev Pull exactly `amount`; a token that delivers less (fee on transfer) would break the escrow invariant.
    function _pull(address token, address from, uint96 amount) private {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert UnsupportedToken(token, amount, received);
    }

    /// @dev Five banking days following the day of presentation (UCP 600 Art. 14(b)). A presentation on a day the
    /// bank is closed counts as received on its next banking day (Art. 33). At most `_MAX_EXAMINATION_DAYS`
    /// calendar days are scanned, so a bank cannot stretch its own deadline with holidays or make `present` run
    /// out of gas.
    function _examinationDeadline(uint32 bank, uint256 timestamp) private view returns (uint40) {
        uint32 day = uint32(timestamp / 1 days);
        uint32 last = day + _MAX_EXAMINATION_DAYS;
        while (!isBankingDay(bank, day) && day < last) ++day;
        for (uint256 counted; counted < _EXAMINATION_BANKING_DAYS && day < last;) {
            ++day;
            if (isBankingDay(bank, day)) ++counted;
        }
        return uint40((uint256(day) + 1) * 1 days - 1);
    }

    /// @dev End of the last calendar day of the presentation period, never after expiry (UCP 600 Art. 14(c)).
    function _lastPresentationDay(uint8 presentationDays, uint40 expiry, uint40 shippedOnBoard)
        private
        pure
        returns (uint40)
    {
        uint256 lastDay = uint256(shippedOnBoard) / 1 days + presentationDays;
        uint256 endOfDay = (lastDay + 1) * 1 days - 1;
        return uint40(endOfDay < expiry ? endOfDay : expiry);
    }

    function _available(uint256 id, uint96 escrowed, uint96 reserved) private view returns (uint96) {
        // An increase the beneficiary has not accepted yet is escrowed but not drawable.
        return escrowed - reserved - _pending[id].escrowIncrease;
    }

    function _maximum(uint96 amount, uint16 toleranceBps) private pure returns (uint96) {
        return SafeCast.toUint96(uint256(amount) * (_BPS + toleranceBps) / _BPS);
    }

    function _minimumFull(uint96 amount, uint16 toleranceBps) private pure returns (uint96) {
        return uint96(uint256(amount) * (_BPS - toleranceBps) / _BPS);
    }

    function _credit(uint256 id) private view returns (Credit memory credit) {
        credit = _credits[id];
        if (credit.state == CreditState.NONE) revert UnknownCredit(id);
    }

    function _presentation(uint256 id, uint16 number) private view returns (Presentation memory presentation) {
        presentation = _presentations[id][number];
        if (presentation.state == PresentationState.NONE) revert UnknownPresentation(id, number);
    }

    function _requirePending(uint256 id) private view returns (PendingAmendment memory amendment) {
        amendment = _pending[id];
        if (amendment.changes == 0) revert NoPendingAmendment(id);
    }

    function _requireIssued(uint256 id, Credit memory credit) private pure {
        if (credit.state != CreditState.ISSUED) revert InvalidCreditState(id, credit.state);
    }

    function _onlyParty(uint256 id, uint32 expected, Party party) private view returns (uint32 actor) {
        (actor,,) = registry.requireActor(msg.sender);
        if (actor != expected || expected == 0) revert NotParty(id, actor, party);
    }

    function _onlyExaminingBank(uint256 id, Credit memory credit) private view returns (uint32 actor) {
        (actor,,) = registry.requireActor(msg.sender);
        bool confirmer = credit.flags & _CONFIRMED != 0 && credit.flags & _CONFIRMATION_LAPSED == 0
            && actor == credit.confirmingBank;
        if (actor != credit.issuingBank && !confirmer) revert NotParty(id, actor, Party.EXAMINING_BANK);
    }
}
