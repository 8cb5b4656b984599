package dev.airlock.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's help reads. Descriptions and footers are written in the annotations as
 * paragraphs broken over several source lines: consecutive lines are joined and wrapped to the
 * help's width, a blank line separates paragraphs, and a line starting with a space (such as an
 * example) stays as it is. Synopses read {@code [OPTIONS]}, and a command list gives each command's
 * first sentence whole.
 */
final class HelpStyle {
    private HelpStyle() {}

    /** Applies the style to {@code cl} and all its subcommands. */
    static void apply(CommandLine cl) {
        UsageMessageSpec u = cl.getCommandSpec().usageMessage();
        u.description(paragraphs(u.description()));
        u.footer(paragraphs(u.footer()));
        u.abbreviateSynopsis(true);
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpStyle::commands);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl) {
                apply(sub);
            }
        }
    }

    /** Joins source lines into paragraphs; keeps blank lines and lines starting with a space. */
    static String[] paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder p = null;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith(" ")) {
                if (p != null) {
                    out.add(p.toString());
                    p = null;
                }
                out.add(line);
            } else if (p == null) {
                p = new StringBuilder(line.strip());
            } else {
                p.append(' ').append(line.strip());
            }
        }
        if (p != null) {
            out.add(p.toString());
        }
        return out.toArray(new String[0]);
    }

    /** The first sentence of a command's description, whole. */
    static String summary(UsageMessageSpec u) {
        String[] header = u.header();
        String text =
                header.length > 0
                        ? header[0]
                        : u.description().length > 0 ? u.description()[0] : "";
        for (int i = 0; i + 1 < text.length(); i++) {
            if (text.charAt(i) == '.'
                    && text.charAt(i + 1) == ' '
                    && i + 2 < text.length()
                    && Character.isUpperCase(text.charAt(i + 2))) {
                return text.substring(0, i + 1);
            }
        }
        return text;
    }

    private static String commands(CommandLine.Help help) {
        Map<String, CommandLine.Help> subs = help.subcommands();
        int width = 0;
        List<Map.Entry<String, CommandLine.Help>> shown = new ArrayList<>();
        for (Map.Entry<String, CommandLine.Help> e : subs.entrySet()) {
            if (!e.getValue().commandSpec().usageMessage().hidden()) {
                shown.add(e);
                width = Math.max(width, e.getKey().length());
            }
        }
        if (shown.isEmpty()) {
            return "";
        }
        int total = help.commandSpec().usageMessage().width();
        int first = width + 4;
        TextTable t =
                TextTable.forColumns(
                        help.colorScheme(),
                        new Column(first, 2, Column.Overflow.SPAN),
                        new Column(total - first, 1, Column.Overflow.WRAP));
        for (Map.Entry<String, CommandLine.Help> e : shown) {
            t.addRowValues(e.getKey(), summary(e.getValue().commandSpec().usageMessage()));
        }
        return t.toString();
    }
}
