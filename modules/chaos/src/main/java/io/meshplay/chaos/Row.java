package io.meshplay.chaos;

/**
 * One line of the table: a figure with its goal. {@code mustHold} goals fail the reduced lab when missed;
 * the others are measured and reported. A figure of -1 means the condition was not reached in time.
 */
record Row(String scenario, String measure, double figure, String unit, double goal, boolean atMost, boolean mustHold) {

    boolean met() {
        return figure >= 0 && (atMost ? figure <= goal : figure >= goal);
    }

    String figureText() {
        if (figure < 0) {
            return "not reached";
        }
        return unit.equals("s") ? String.format("%.1f s", figure) : String.format("%,d%s", (long) figure, unit.isEmpty() ? "" : " " + unit);
    }

    String goalText() {
        String g = unit.equals("s") ? String.format("%.0f s", goal) : String.format("%,d", (long) goal);
        return (atMost ? "<= " : ">= ") + g + (mustHold ? " (must)" : "");
    }
}
