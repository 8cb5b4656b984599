export const late = "late export";
export default function () {
  return "default function";
}
