/** The message for a source that was not delivered (no consent for it, or no data at the FIP). */
export default function SectionEmpty({ what }) {
  return (
    <div className="state state-empty">
      <p>No {what} data for this customer: the source was not delivered or not analysed yet.</p>
    </div>
  );
}
