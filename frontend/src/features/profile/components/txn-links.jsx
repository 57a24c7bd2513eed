/** Buttons for the statement lines behind a figure; each opens Transactions filtered by that line's id. */
export default function TxnLinks({ ids, onShowTxn }) {
  return ids.map((id) => (
    <button key={id} type="button" className="link-button mono" aria-label={`Show transaction ${id} in Transactions`}
      onClick={() => onShowTxn(id)}>{id}</button>
  ));
}
