// The "Copier le lien" buttons of an organisation's invite codes.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(`${button.dataset.copy}-status`);
  try {
    await navigator.clipboard.writeText(field.value);
    status.textContent = "Lien copié.";
  } catch {
    field.select();  // no clipboard access (plain http): the link is selected for Ctrl+C
    status.textContent = "Lien sélectionné : Ctrl+C pour le copier.";
  }
});
