// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPortRegistry} from "../access/IPortRegistry.sol";
import {IBillOfLading} from "../documents/IBillOfLading.sol";
import {ITradeDocuments} from "../documents/ITradeDocuments.sol";
import {ILetterOfCredit} from "./ILetterOfCredit.sol";

/// @title LetterOfCreditBase
/// @notice Storage, constants and internal rules shared by LetterOfCredit and LetterOfCreditExtension. The extension
/// runs by delegatecall on LetterOfCredit's storage, so both inherit this one layout and nothing else declares
/// state: the layout cannot drift between them.
abstract contract LetterOfCreditBase is ILetterOfCredit, ReentrancyGuard {
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

    uint8 internal constant _ADVISED = 1;
    uint8 internal constant _CONFIRMED = 2;
    uint8 internal constant _CONFIRMATION_LAPSED = 4;
    uint8 internal constant _CANCELLATION_CONSENTED = 8;
    uint8 internal constant _BILL_TO_ISSUER = 16;
    uint8 internal constant _PARTIAL_DRAWINGS = 32;

    uint8 internal constant _CHANGE_AMOUNT = 1;
    uint8 internal constant _CHANGE_EXPIRY = 2;
    uint8 internal constant _CHANGE_LATEST_SHIPMENT = 4;
    uint8 internal constant _CHANGE_TERMS_HASH = 8;

    uint16 internal constant _BPS = 10_000;
    uint16 internal constant _MAX_TOLERANCE_BPS = 1_000;
    uint8 internal constant _DEFAULT_PRESENTATION_DAYS = 21;
    uint8 internal constant _EXAMINATION_BANKING_DAYS = 5;
    uint32 internal constant _MAX_EXAMINATION_DAYS = 21;
    uint8 internal constant _ALL_DOCUMENTS = 31;

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
        bool funded;
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

    uint256 internal _creditCount;
    mapping(uint256 id => Credit) internal _credits;
    mapping(uint256 id => Escrow) internal _escrows;
    mapping(uint256 id => Amounts) internal _amounts;
    mapping(uint256 id => Details) internal _details;
    mapping(uint256 id => PendingAmendment) internal _pending;
    mapping(uint256 id => mapping(uint16 number => Presentation)) internal _presentations;
    mapping(uint32 bank => mapping(uint32 day => bool)) internal _holidays;
    /// @dev Bills held for a presentation under examination; any other bill this contract holds is recoverable.
    mapping(bytes32 bill => bool) internal _underExamination;
    /// @dev Bills due to an organisation that could not take them when they were released (0: none), and who takes
    /// them instead if that organisation is revoked for good (0: nobody).
    struct HeldBill {
        uint32 heldFor;
        uint32 otherwise;
    }

    mapping(bytes32 bill => HeldBill) internal _heldBills;
    /// @dev Payments a token refused to deliver, per token and account, until withdrawn.
    mapping(address token => mapping(address account => uint256)) internal _owed;

    constructor(IPortRegistry registry_, IBillOfLading billOfLading_, ITradeDocuments tradeDocuments_) {
        registry = registry_;
        billOfLading = billOfLading_;
        tradeDocuments = tradeDocuments_;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _apply(Terms calldata terms) internal returns (uint256 id) {
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

        uint96 maximum = _maximum(terms.amount, terms.toleranceBps);
        id = ++_creditCount;
        _credits[id] = Credit({
            state: CreditState.APPLIED,
            flags: (terms.partialDrawings ? _PARTIAL_DRAWINGS : 0) | (terms.billToIssuer ? _BILL_TO_ISSUER : 0),
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
        _amounts[id] = Amounts(terms.amount, maximum, terms.latestShipment, 0);
        _details[id] = Details(msg.sender, uint32(block.number), 0, terms.termsHash);
        emit CreditApplied(id, applicant, terms.beneficiary, terms.issuingBank, terms.termsHash);
        _pull(terms.token, msg.sender, maximum);
    }

    /// @dev Hard rules revert; document discrepancies are returned for the bank to examine.
    function _check(
        uint256 id,
        Credit memory credit,
        Presentment calldata presentment,
        IBillOfLading.BillStatus memory status,
        uint32 beneficiary
    ) internal view returns (uint16 discrepancies) {
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
    ) internal view returns (bool) {
        uint96 amount = presentment.amount;
        Amounts memory amounts = _amounts[id];
        // Drawn and reserved so far; the escrow already holds the amendment's (funded) increase.
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
        internal
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
        internal
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
    ) internal view returns (uint16 discrepancies) {
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
        internal
    {
        // Effects first; then both legs of delivery versus payment, which succeed together or revert together.
        _presentations[id][number].state = PresentationState.HONOURED;
        _amounts[id].escrowed -= presentation.amount;
        delete _underExamination[presentation.bill];
        Escrow storage escrow = _escrows[id];
        escrow.reserved -= presentation.amount;
        uint32 billTo = credit.flags & _BILL_TO_ISSUER != 0 ? credit.issuingBank : credit.applicant;
        // A revoked applicant (or issuer) never takes the bill again: it goes to the other of the two.
        uint32 other = billTo == credit.applicant ? credit.issuingBank : credit.applicant;
        if (registry.statusOf(billTo) == IPortRegistry.Status.REVOKED) (billTo, other) = (other, billTo);
        emit PresentationHonoured(id, number, presentation.amount, presentation.payee, billTo, precluded);
        _payOut(escrow.token, presentation.payee, presentation.amount);
        _deliverBill(presentation.bill, billTo, other);
    }

    /// @dev Pay `amount` to `to`; if the token refuses, hold it here for `to` to withdraw (so a token that refuses
    /// one party cannot block the other leg, nor the credit's other exits).
    function _payOut(address token, address to, uint96 amount) internal {
        if (amount == 0) return;
        if (!IERC20(token).trySafeTransfer(to, amount)) {
            _owed[token][to] += amount;
            emit PaymentHeld(token, to, amount);
        }
    }

    /// @dev Endorse a bill in custody to `to`; an organisation that cannot take it now gets it held here instead,
    /// with `otherwise` to take it should `to` be revoked for good.
    function _deliverBill(bytes32 bill, uint32 to, uint32 otherwise) internal {
        if (registry.statusOf(to) == IPortRegistry.Status.ACTIVE) {
            billOfLading.endorse(bill, to);
        } else {
            _heldBills[bill] = HeldBill(to, otherwise);
            emit BillHeld(bill, to);
        }
    }

    function _applyAmendment(uint256 id, Credit memory credit, PendingAmendment memory amendment, bool byPresentation)
        internal
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
                _payOut(_escrows[id].token, _details[id].payer, refund);
            }
        }
    }

    function _rejectAmendment(uint256 id, bool partialAcceptance) internal {
        PendingAmendment memory pending = _pending[id];
        uint16 number = _details[id].amendments;
        delete _pending[id];
        emit AmendmentRejected(id, number, partialAcceptance);
        if (pending.funded) {
            _amounts[id].escrowed -= pending.escrowIncrease;
            _payOut(_escrows[id].token, _details[id].payer, pending.escrowIncrease);
        }
    }

    /// @dev Close the credit: refund all but what presentations under examination reserve (they resolve later).
    function _close(uint256 id, CreditState state) internal {
        uint96 reserved = _escrows[id].reserved;
        uint96 refund = _amounts[id].escrowed - reserved;
        _credits[id].state = state;
        _amounts[id].escrowed = reserved;
        delete _pending[id];
        emit CreditClosed(id, state, refund);
        _payOut(_escrows[id].token, _details[id].payer, refund);
    }

    /// @dev Pull exactly `amount`; a token that delivers less (fee on transfer) would break the escrow invariant.
    function _pull(address token, address from, uint96 amount) internal {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert UnsupportedToken(token, amount, received);
    }

    /// @dev Five banking days following the day of presentation (UCP 600 Art. 14(b)). A presentation on a day the
    /// bank is closed counts as received on its next banking day (Art. 33). At most `_MAX_EXAMINATION_DAYS`
    /// calendar days are scanned, so a bank cannot stretch its own deadline with holidays or make `present` run
    /// out of gas.
    function _examinationDeadline(uint32 bank, uint256 timestamp) internal view returns (uint40) {
        uint32 day = uint32(timestamp / 1 days);
        uint32 last = day + _MAX_EXAMINATION_DAYS;
        while (!_isBankingDay(bank, day) && day < last) ++day;
        for (uint256 counted; counted < _EXAMINATION_BANKING_DAYS && day < last;) {
            ++day;
            if (_isBankingDay(bank, day)) ++counted;
        }
        return uint40((uint256(day) + 1) * 1 days - 1);
    }

    /// @dev End of the last calendar day of the presentation period, never after expiry (UCP 600 Art. 14(c)).
    function _lastPresentationDay(uint8 presentationDays, uint40 expiry, uint40 shippedOnBoard)
        internal
        pure
        returns (uint40)
    {
        uint256 lastDay = uint256(shippedOnBoard) / 1 days + presentationDays;
        uint256 endOfDay = (lastDay + 1) * 1 days - 1;
        return uint40(endOfDay < expiry ? endOfDay : expiry);
    }

    function _available(uint256 id, uint96 escrowed, uint96 reserved) internal view returns (uint96) {
        // An increase the beneficiary has not accepted yet is escrowed (once funded) but not drawable.
        PendingAmendment storage pending = _pending[id];
        return escrowed - reserved - (pending.funded ? pending.escrowIncrease : 0);
    }

    function _maximum(uint96 amount, uint16 toleranceBps) internal pure returns (uint96) {
        return SafeCast.toUint96(uint256(amount) * (_BPS + toleranceBps) / _BPS);
    }

    function _minimumFull(uint96 amount, uint16 toleranceBps) internal pure returns (uint96) {
        return uint96(uint256(amount) * (_BPS - toleranceBps) / _BPS);
    }

    function _credit(uint256 id) internal view returns (Credit memory credit) {
        credit = _credits[id];
        if (credit.state == CreditState.NONE) revert UnknownCredit(id);
    }

    function _presentation(uint256 id, uint16 number) internal view returns (Presentation memory presentation) {
        presentation = _presentations[id][number];
        if (presentation.state == PresentationState.NONE) revert UnknownPresentation(id, number);
    }

    function _requirePending(uint256 id) internal view returns (PendingAmendment memory amendment) {
        amendment = _pending[id];
        if (amendment.changes == 0) revert NoPendingAmendment(id);
    }

    function _requireIssued(uint256 id, Credit memory credit) internal pure {
        if (credit.state != CreditState.ISSUED) revert InvalidCreditState(id, credit.state);
    }

    function _onlyParty(uint256 id, uint32 expected, Party party) internal view returns (uint32 actor) {
        (actor,,) = registry.requireActor(msg.sender);
        if (actor != expected || expected == 0) revert NotParty(id, actor, party);
    }

    function _onlyExaminingBank(uint256 id, Credit memory credit) internal view returns (uint32 actor) {
        (actor,,) = registry.requireActor(msg.sender);
        bool confirmer = credit.flags & _CONFIRMED != 0 && credit.flags & _CONFIRMATION_LAPSED == 0
            && actor == credit.confirmingBank;
        if (actor != credit.issuingBank && !confirmer) revert NotParty(id, actor, Party.EXAMINING_BANK);
    }

    /// @dev The contract organisation this contract holds bills as; refuses if the address was registered as a
    /// signer of an ordinary organisation (someone claimed it before deployment).
    function _escrowOrganisation() internal view returns (uint32 orgId) {
        orgId = registry.contractOrganisationOf(address(this));
        if (orgId == 0) revert EscrowNotOnboarded(address(this));
    }

    function _isBankingDay(uint32 bank, uint32 day) internal view returns (bool) {
        // 1970-01-01 was a Thursday: day % 7 == 2 is a Saturday, 3 a Sunday.
        uint32 weekday = day % 7;
        return weekday != 2 && weekday != 3 && !_holidays[bank][day];
    }
}
