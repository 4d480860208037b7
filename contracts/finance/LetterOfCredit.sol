// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IPortRegistry} from "../access/IPortRegistry.sol";
import {IBillOfLading} from "../documents/IBillOfLading.sol";
import {ITradeDocuments} from "../documents/ITradeDocuments.sol";
import {LetterOfCreditBase} from "./LetterOfCreditBase.sol";


/// @title LetterOfCredit
/// @notice Documentary credits under ICC UCP 600 / eUCP 2.0 with the credit amount escrowed in an ERC-20 and
/// honour settled as delivery versus payment against the electronic bill of lading.
/// @dev Credit life (UCP article in brackets):
///
///     apply (applicant; the payer escrows amount x (1 + tolerance) in this same transaction) -> APPLIED
///     APPLIED --issue (issuing bank)--> ISSUED
///     APPLIED --cancel (applicant)--> CANCELLED, the escrow refunded
///     ISSUED: advise (advising bank), confirm (confirming bank, Art. 8), amend (issuer, bound at once, Art. 10(b);
///             an increase is escrowed only by the payer's own `fundAmendment`)
///             -> accept (beneficiary, once funded; partial acceptance = rejection, Art. 10(e); a complying
///                presentation counts as acceptance, Art. 10(c)) | reject; the confirmer may decline (Art. 10(b))
///     APPLIED | ISSUED --expire (anyone, after expiry)--> EXPIRED, everything not reserved by a presentation
///             refunded (a bank that never issues cannot keep the payer's escrow)
///     ISSUED --cancel (issuer, with the beneficiary's consent, Art. 10(a))--> CANCELLED, likewise
///
/// Presentation life:
///
///     present (beneficiary: documents + the bill, endorsed to this contract by signature; checks Art. 6(e),
///       14(c), 30, 31 on-chain) -> PRESENTED
///     PRESENTED --honour (examining bank; complying, or after a waiver)--> HONOURED   (delivery versus payment)
///     PRESENTED --refuse (examining bank, one notice listing every discrepancy, within 5 banking days, Art. 14(b),
///       16(c)-(d))--> REFUSED --waive (applicant, Art. 16(b))--> WAIVED --honour--> HONOURED
///
/// The amendment paths, withdrawals of held payments and the views run in LetterOfCreditExtension, reached through
/// this contract's fallback by delegatecall on this contract's storage (one address and one ABI for callers; it
/// keeps this contract under the EIP-170 size limit with room to grow, at no gas cost on the hot paths).
contract LetterOfCredit is LetterOfCreditBase {
    /// @notice The code the fallback delegates the amendment paths and views to.
    address public immutable extension;

    /// @param extension_ A LetterOfCreditExtension deployed with the same registry, bills and documents.
    constructor(
        IPortRegistry registry_,
        IBillOfLading billOfLading_,
        ITradeDocuments tradeDocuments_,
        address extension_
    ) LetterOfCreditBase(registry_, billOfLading_, tradeDocuments_) {
        extension = extension_;
    }

    /*//////////////////////////////////////////////////////////////
                        APPLICATION AND ISSUANCE
    //////////////////////////////////////////////////////////////*/

    /// @notice Apply for a credit. The caller's organisation is the applicant and the caller's address the payer:
    /// amount x (1 + tolerance) moves from it into escrow now, in this transaction (approve this contract first,
    /// or use `applyForCreditWithPermit`), and comes back if the application is withdrawn.
    /// @return id The credit's id (sequential from 1).
    function applyForCredit(Terms calldata terms) external nonReentrant returns (uint256 id) {
        id = _apply(terms);
    }

    /// @notice As `applyForCredit`, with an EIP-2612 permit for the escrow (amount x (1 + tolerance)) in the same call.
    function applyForCreditWithPermit(Terms calldata terms, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
        returns (uint256 id)
    {
        uint256 maximum = _maximum(terms.amount, terms.toleranceBps);
        // A front-run permit (already used) must not block the application: the allowance is what counts.
        try IERC20Permit(terms.token).permit(msg.sender, address(this), maximum, deadline, v, r, s) {} catch {}
        id = _apply(terms);
    }

    /// @notice The issuing bank issues the credit against the escrow the payer funded at application (whether
    /// honoured bills go to the bank rather than the applicant is the applicant's term, `billToIssuer`).
    function issue(uint256 id) external {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.issuingBank, Party.ISSUING_BANK);
        if (credit.state != CreditState.APPLIED) revert InvalidCreditState(id, credit.state);
        _credits[id].state = CreditState.ISSUED;
        emit CreditIssued(id, credit.issuingBank, _amounts[id].escrowed);
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

        // A presentation complying with a pending (funded) amendment accepts it (UCP 600 Art. 10(c)), but only the
        // one the beneficiary names: an amendment slipped in just before cannot be accepted behind its back.
        PendingAmendment memory amendment = _pending[id];
        if (presentment.acceptsAmendment != 0) {
            uint16 pending = amendment.changes == 0 ? 0 : _details[id].amendments;
            if (presentment.acceptsAmendment != pending) {
                revert AmendmentNotPending(id, presentment.acceptsAmendment, pending);
            }
        }
        if (
            presentment.acceptsAmendment != 0 && (amendment.escrowIncrease == 0 || amendment.funded)
                && _complies(id, credit, amendment, presentment, status, actor)
        ) {
            _applyAmendment(id, credit, amendment, true);
            credit = _credits[id];
        }
        uint16 discrepancies = _check(id, credit, presentment, status, actor);
        number = _record(id, credit.issuingBank, presentment, discrepancies);
        _takeCustody(presentment.bill, actor, endorsement);
    }

    /// @dev Relay the beneficiary's signed endorsement of the bill to this contract's organisation.
    function _takeCustody(bytes32 bill, uint32 from, SignedEndorsement calldata endorsement) private {
        billOfLading.endorseBySignature(
            bill,
            from,
            _escrowOrganisation(),
            false,
            endorsement.transfers,
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
    /// examining bank or the beneficiary itself may do it (a bank cannot hold refused documents hostage), and
    /// anyone once the credit has expired. On a closed credit the released reservation goes back to the payer.
    function returnDocuments(uint256 id, uint16 number) external nonReentrant {
        Credit memory credit = _credit(id);
        if (block.timestamp <= credit.expiry) {
            (uint32 actor,,) = registry.requireActor(msg.sender);
            if (actor != credit.beneficiary) _onlyExaminingBank(id, credit);
        }
        Presentation memory presentation = _presentation(id, number);
        if (presentation.state != PresentationState.REFUSED) {
            revert InvalidPresentationState(id, number, presentation.state);
        }
        _presentations[id][number].state = PresentationState.RETURNED;
        _escrows[id].reserved -= presentation.amount;
        delete _underExamination[presentation.bill];
        emit DocumentsReturned(id, number, credit.beneficiary);
        if (credit.state != CreditState.ISSUED) {
            _amounts[id].escrowed -= presentation.amount;
            _payOut(_escrows[id].token, _details[id].payer, presentation.amount);
        }
        _deliverBill(presentation.bill, credit.beneficiary, 0);
    }

    /// @notice Honour when the bank let the examination period pass without refusing: the bank is precluded
    /// (UCP 600 Art. 16(f)). Anyone may call it, so an idle or suspended party cannot keep it unresolved; the
    /// outcome is fixed (the payee named at presentation, the bill to the applicant or issuer).
    function claim(uint256 id, uint16 number) external nonReentrant {
        Credit memory credit = _credit(id);
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
    /// escrow organisation by mistake): it returns to the organisation it came from. Anyone may call it. A bill
    /// held for delivery to the party a presentation released it to is not recoverable (`deliverHeldBill`).
    function recoverBill(bytes32 bill) external nonReentrant {
        if (_underExamination[bill]) revert BillUnderExamination(bill);
        uint32 heldFor = _heldBills[bill].heldFor;
        if (heldFor != 0) revert BillHeldForDelivery(bill, heldFor);
        IBillOfLading.BillStatus memory status = billOfLading.statusOf(bill);
        uint32 escrow = _escrowOrganisation();
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

    /// @notice After expiry anyone closes the credit, issued or never issued: everything not reserved by a
    /// presentation under examination goes back to the payer; pending presentations still resolve afterwards.
    function expire(uint256 id) external nonReentrant {
        Credit memory credit = _credit(id);
        if (credit.state != CreditState.ISSUED && credit.state != CreditState.APPLIED) {
            revert InvalidCreditState(id, credit.state);
        }
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
            _close(id, CreditState.CANCELLED);
            return;
        }
        _onlyParty(id, credit.issuingBank, Party.ISSUING_BANK);
        _requireIssued(id, credit);
        if (credit.flags & _CANCELLATION_CONSENTED == 0) revert CancellationNotConsented(id);
        _close(id, CreditState.CANCELLED);
    }


    /// @notice Every other function of the credit's ABI (amendments, withdrawals, views) runs in the extension, on
    /// this contract's storage. Non-payable: a call with value reverts.
    fallback() external {
        address target = extension;
        // Forward the call data unchanged and return or revert with the extension's answer, byte for byte.
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}
