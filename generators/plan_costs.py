"""Running costs of the business: staff, rent and utility bills.

Head count follows the sales trend (a growing business hires, a declining one
lets people go), salaries rise every April and rent is revised yearly, so the
fixed-cost lines of the bank statement move the way a lender expects.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import names
from .identity import person_name
from .seeding import random_for


@dataclass(frozen=True)
class Employee:
    """One employee and their salary at the start of the window."""

    name: str
    salary: float
    mode: str  # NEFT | IMPS | BULK


@dataclass(frozen=True)
class Staff:
    """Employees in hiring order and how many are on the rolls each month."""

    employees: list[Employee]
    headcount: list[int]


@dataclass(frozen=True)
class Rent:
    """The premises: landlord, monthly rent in the first window month, due day."""

    landlord: str
    amount: float
    day: int
    mode: str


@dataclass(frozen=True)
class Utility:
    """A monthly bill paid from the account (electricity, phone, broadband)."""

    biller: str
    kind: str
    amount: float
    day: int


def salary_of(plan, employee: Employee, month_index: int) -> float:
    """Salary paid in a month: the starting salary with 7% raises each April, rounded to 100."""
    return round(employee.salary * 1.07 ** plan.increments[month_index], -2)


def rent_of(plan, month_index: int) -> float:
    """Rent due in a month: 5% more after each April."""
    return round(plan.rent.amount * 1.05 ** plan.increments[month_index], -2)


def plan_costs(plan) -> None:
    """Choose staff, head count per month, rent and utility bills."""
    rng = random_for(plan.seed, "plan.costs")
    p, ident = plan.profile, plan.identity
    n0 = rng.randint(*p.employees)
    ref = sum(plan.sales[:3]) / 3
    smooth = []
    for i in range(len(plan.sales)):
        window = plan.sales[max(0, i - 2): i + 1]
        smooth.append(sum(window) / len(window))
    headcount = [max(1, min(60, round(n0 * (s / ref) ** 0.6))) for s in smooth]
    employees = []
    for _ in range(max(headcount)):
        salary = round(rng.uniform(*p.salary), -2)
        employees.append(Employee(person_name(rng, ident.region, 0.3), salary, rng.choice(("NEFT", "IMPS", "BULK"))))
    plan.staff = Staff(employees, headcount)
    plan.increments = [0] * len(plan.months)
    count = 0
    for i, m in enumerate(plan.months):
        if i and m.month == 4:
            count += 1
        plan.increments[i] = count
    plan.rent = Rent(person_name(rng, ident.region, 0.3), round(rng.uniform(*p.rent), -3), rng.randint(1, 7),
                     rng.choice(("IMPS", "NEFT", "UPI")))
    board = names.STATES[ident.state][2]
    scale = (sum(plan.sales) / len(plan.sales) / 1_000_000) ** 0.5
    plan.utilities = [
        Utility(board, "electricity", round(rng.uniform(4000, 14000) * scale, -1), rng.randint(8, 18)),
        Utility(rng.choice(names.TELECOM), "telecom", float(rng.choice((599, 799, 999, 1199, 1499))), rng.randint(2, 26)),
        Utility(rng.choice(names.BROADBAND), "broadband", float(rng.choice((999, 1179, 1499, 1999))), rng.randint(2, 26)),
    ]


def structural_lines(plan, month) -> int:
    """Statement lines this module's flows add in a month (salaries, rent, bills, GST, charges, draws)."""
    return plan.staff.headcount[month.index] + 1 + len(plan.utilities) + 1 + 1 + 2

