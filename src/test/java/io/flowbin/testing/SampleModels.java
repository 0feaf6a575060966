package io.flowbin.testing;

import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.CascadeConfiguration;
import io.flowbin.metadata.CascadeConfiguration.CascadeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ChoiceOption;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.MessageDefinition;
import io.flowbin.metadata.Model;
import io.flowbin.metadata.OwnershipType;
import io.flowbin.metadata.RelationshipDefinition;
import io.flowbin.metadata.RelationshipDefinition.Kind;
import io.flowbin.metadata.RequiredLevel;
import io.flowbin.metadata.TableDefinition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Hand-built table definitions for tests: {@code flowsessionbinary}, its parent {@code flowsession} and the
 * {@code systemuser}, {@code team} and {@code businessunit} tables around them, with a subset of the columns of their
 * reference pages. Immutable.
 */
public final class SampleModels {
    /** A test-only table with one column of every attribute type. */
    public static final String EVERY_TYPE_TABLE = "sampleeverytype";

    /** A lookup of {@link #EVERY_TYPE_TABLE} whose foreign key name is too long and gets shortened. */
    public static final String LONG_LOOKUP_COLUMN = "parentbusinessunitforaveryverylongforeignkeyconstraintname";

    private static final List<MessageDefinition> MESSAGES = List.of(
            new MessageDefinition("Create", true),
            new MessageDefinition("Retrieve", true),
            new MessageDefinition("RetrieveMultiple", true),
            new MessageDefinition("Update", true),
            new MessageDefinition("Delete", true));

    private SampleModels() {}

    /** The five related tables and the relationships between them. */
    public static Model flowSessionModel() {
        return new Model(
                List.of(flowSessionBinary(), flowSession(), systemUser(), team(), businessUnit()), relationships());
    }

    public static Catalog flowSessionCatalog() {
        return new Catalog(flowSessionModel());
    }

    /** {@link #flowSessionModel()} plus {@link #EVERY_TYPE_TABLE}. */
    public static Catalog everyTypeCatalog() {
        Model model = flowSessionModel();
        List<TableDefinition> tables = new ArrayList<>(model.tables());
        tables.add(everyType());
        return new Catalog(new Model(tables, model.relationships()));
    }

    private static TableDefinition flowSessionBinary() {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(id("flowsessionbinaryid", "flowsessionbinaryId"));
        columns.add(string("name", "Name", 100, RequiredLevel.APPLICATION_REQUIRED));
        columns.add(string("type", "Type", 100, RequiredLevel.APPLICATION_REQUIRED));
        columns.add(string("mimetype", "MimeType", 100, RequiredLevel.NONE));
        columns.add(memo("metadata", "metadata", 2000));
        columns.add(lookup("flowsessionid", "flowsessionid", true, "flowsession"));
        columns.add(file("data", "Data", 32768));
        columns.add(readOnlyString("data_name", "data_name", 200));
        columns.add(state());
        columns.add(status(option(1, "Active", 0), option(2, "Inactive", 1)));
        columns.addAll(ownerColumns());
        columns.addAll(auditColumns());
        columns.add(integer("importsequencenumber", "ImportSequenceNumber", Integer.MIN_VALUE));
        columns.add(integer("timezoneruleversionnumber", "TimeZoneRuleVersionNumber", -1));
        columns.add(integer("utcconversiontimezonecode", "UTCConversionTimeZoneCode", -1));
        columns.add(dateTime("overriddencreatedon", "OverriddenCreatedOn", true, "DateOnly"));
        columns.add(versionNumber());
        return table("flowsessionbinary", "flowsessionbinaries", "Flow Session Binary", OwnershipType.USER_OWNED,
                "name", columns);
    }

    private static TableDefinition flowSession() {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(id("flowsessionid", "flowsessionId"));
        columns.add(string("name", "Name", 100, RequiredLevel.APPLICATION_REQUIRED));
        columns.add(memo("context", "Context", 10000));
        columns.add(memo("credentials", "Credentials", 100000));
        columns.add(column("machinepercentcpuusage", "MachinePercentCpuUsage", AttributeType.DOUBLE,
                RequiredLevel.NONE, true, null, BigDecimal.ZERO, BigDecimal.valueOf(100), 2, List.of(), List.of(),
                null));
        columns.add(column("runduration", "RunDuration", AttributeType.BIGINT, RequiredLevel.NONE, true, null,
                BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE), null, List.of(), List.of(),
                null));
        columns.add(choice("runmode", "RunMode", AttributeType.PICKLIST, RequiredLevel.NONE, null,
                option(0, "Local", null), option(1, "Attended", null), option(2, "Unattended", null)));
        columns.add(lookup("parentdesktopflowrunid", "ParentDesktopFlowRunId", true, "flowsession"));
        // points at a table that is not loaded: no foreign key
        columns.add(lookup("regardingobjectid", "RegardingObjectId", true, "workflow"));
        columns.add(entityName("regardingobjecttypecode", "RegardingObjectTypeCode"));
        columns.add(file("inputs", "Inputs", 32768));
        columns.add(readOnlyString("inputs_name", "inputs_name", 200));
        columns.add(dateTime("startedon", "StartedOn", true, "UserLocal"));
        columns.add(state());
        columns.add(status(option(0, "NotSpecified", 1), option(2, "Running", 0), option(4, "Succeeded", 0)));
        columns.addAll(ownerColumns());
        columns.addAll(auditColumns());
        columns.add(versionNumber());
        return table("flowsession", "flowsessions", "Flow Session", OwnershipType.USER_OWNED, "name", columns);
    }

    private static TableDefinition systemUser() {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(id("systemuserid", "SystemUserId"));
        columns.add(readOnlyString("fullname", "FullName", 200));
        columns.add(string("firstname", "FirstName", 256, RequiredLevel.APPLICATION_REQUIRED));
        columns.add(string("lastname", "LastName", 256, RequiredLevel.APPLICATION_REQUIRED));
        columns.add(string("domainname", "DomainName", 1024, RequiredLevel.SYSTEM_REQUIRED));
        columns.add(string("internalemailaddress", "InternalEMailAddress", 100, RequiredLevel.SYSTEM_REQUIRED));
        columns.add(lookup("businessunitid", "BusinessUnitId", true, "businessunit"));
        columns.add(lookup("parentsystemuserid", "ParentSystemUserId", true, "systemuser"));
        columns.add(bool("isdisabled", "IsDisabled", "Disabled", "Enabled"));
        columns.add(column("azureactivedirectoryobjectid", "AzureActiveDirectoryObjectId",
                AttributeType.UNIQUEIDENTIFIER, RequiredLevel.NONE, false, null, null, null, null, List.of(),
                List.of(), null));
        columns.add(choice("accessmode", "AccessMode", AttributeType.PICKLIST, RequiredLevel.SYSTEM_REQUIRED, 0,
                option(0, "Read-Write", null), option(1, "Administrative", null), option(2, "Read", null),
                option(4, "Non-interactive", null)));
        columns.addAll(auditColumns());
        columns.add(versionNumber());
        return table("systemuser", "systemusers", "User", OwnershipType.BUSINESS_OWNED, "fullname", columns);
    }

    private static TableDefinition team() {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(id("teamid", "TeamId"));
        columns.add(string("name", "Name", 160, RequiredLevel.SYSTEM_REQUIRED));
        columns.add(lookup("businessunitid", "BusinessUnitId", true, "businessunit"));
        columns.add(choice("teamtype", "TeamType", AttributeType.PICKLIST, RequiredLevel.SYSTEM_REQUIRED, 0,
                option(0, "Owner", null), option(1, "Access", null), option(2, "Security Group", null),
                option(3, "Office Group", null)));
        columns.add(lookup("administratorid", "AdministratorId", true, "systemuser"));
        columns.add(memo("description", "Description", 2000));
        columns.add(bool("isdefault", "IsDefault", "Yes", "No"));
        columns.addAll(auditColumns());
        columns.add(versionNumber());
        return table("team", "teams", "Team", OwnershipType.BUSINESS_OWNED, "name", columns);
    }

    private static TableDefinition businessUnit() {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(id("businessunitid", "BusinessUnitId"));
        columns.add(string("name", "Name", 160, RequiredLevel.SYSTEM_REQUIRED));
        columns.add(lookup("parentbusinessunitid", "ParentBusinessUnitId", true, "businessunit"));
        columns.add(bool("isdisabled", "IsDisabled", "Yes", "No"));
        columns.add(column("creditlimit", "CreditLimit", AttributeType.MONEY, RequiredLevel.NONE, true, null,
                BigDecimal.ZERO, new BigDecimal("1000000000000"), 2, List.of(), List.of(), null));
        columns.add(integer("inheritancemask", "InheritanceMask", 0));
        columns.addAll(auditColumns());
        columns.add(versionNumber());
        return table("businessunit", "businessunits", "Business Unit", OwnershipType.BUSINESS_OWNED, "name", columns);
    }

    private static TableDefinition everyType() {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(id("sampleeverytypeid", "SampleEveryTypeId"));
        columns.add(string("stringcolumn", "StringColumn", 50, RequiredLevel.NONE));
        columns.add(column("unboundedmemo", "UnboundedMemo", AttributeType.MEMO, RequiredLevel.NONE, true, null, null,
                null, null, List.of(), List.of(), null));
        columns.add(integer("integercolumn", "IntegerColumn", Integer.MIN_VALUE));
        columns.add(column("bigintcolumn", "BigIntColumn", AttributeType.BIGINT, RequiredLevel.NONE, true, null, null,
                null, null, List.of(), List.of(), null));
        columns.add(column("decimalcolumn", "DecimalColumn", AttributeType.DECIMAL, RequiredLevel.NONE, true, null,
                null, null, null, List.of(), List.of(), null));
        columns.add(column("moneycolumn", "MoneyColumn", AttributeType.MONEY, RequiredLevel.NONE, true, null, null,
                null, 4, List.of(), List.of(), null));
        columns.add(column("doublecolumn", "DoubleColumn", AttributeType.DOUBLE, RequiredLevel.NONE, true, null, null,
                null, 5, List.of(), List.of(), null));
        columns.add(bool("booleancolumn", "BooleanColumn", "Yes", "No"));
        columns.add(dateTime("datetimecolumn", "DateTimeColumn", true, "UserLocal"));
        columns.add(choice("picklistcolumn", "PicklistColumn", AttributeType.PICKLIST, RequiredLevel.NONE, null,
                option(1, "One", null), option(2, "Two", null)));
        columns.add(state());
        columns.add(status(option(1, "Active", 0), option(2, "Inactive", 1)));
        columns.add(lookup(LONG_LOOKUP_COLUMN, "LongLookup", true, "businessunit"));
        columns.add(column("customerid", "CustomerId", AttributeType.CUSTOMER, RequiredLevel.NONE, true, null, null,
                null, null, List.of("businessunit", "systemuser"), List.of(), null));
        columns.add(entityName("entitynamecolumn", "EntityNameColumn"));
        columns.add(file("filecolumn", "FileColumn", 1024));
        columns.add(column("imagecolumn", "ImageColumn", AttributeType.IMAGE, RequiredLevel.NONE, true, null, null,
                null, null, List.of(), List.of(), null));
        columns.add(column("managedcolumn", "ManagedColumn", AttributeType.MANAGEDPROPERTY, RequiredLevel.NONE, true,
                null, null, null, null, List.of(), List.of(), null));
        columns.add(column("virtualcolumn", "VirtualColumn", AttributeType.VIRTUAL, RequiredLevel.NONE, false, null,
                null, null, null, List.of(), List.of(), null));
        columns.addAll(ownerColumns());
        return table(EVERY_TYPE_TABLE, "sampleeverytypes", "Sample Every Type", OwnershipType.USER_OWNED,
                "stringcolumn", columns);
    }

    private static List<RelationshipDefinition> relationships() {
        List<RelationshipDefinition> relationships = new ArrayList<>();
        CascadeType cascade = CascadeType.CASCADE;
        CascadeType none = CascadeType.NO_CASCADE;
        relationships.add(oneToMany("flowsession_flowsessionbinary_FlowSessionId", "flowsession", "flowsessionbinary",
                "flowsessionid", "flowsessionid", "flowsession_flowsessionbinary_flowsessionid",
                new CascadeConfiguration(cascade, cascade, none, none, cascade, none, cascade, cascade)));
        relationships.add(oneToMany("flowsession_flowsession_parentdesktopflowrunid", "flowsession", "flowsession",
                "parentdesktopflowrunid", "parentdesktopflowrunid", "flowsession_flowsession_parentdesktopflowrunid",
                CascadeConfiguration.noCascade()));
        for (String table : List.of("flowsessionbinary", "flowsession")) {
            relationships.add(oneToMany("owner_" + table, "owner", table, "ownerid", "ownerid", null,
                    CascadeConfiguration.noCascade()));
            relationships.add(oneToMany("user_" + table, "systemuser", table, "owninguser", "owninguser",
                    "user_" + table, CascadeConfiguration.noCascade()));
            relationships.add(oneToMany("team_" + table, "team", table, "owningteam", "owningteam", "team_" + table,
                    CascadeConfiguration.noCascade()));
            relationships.add(oneToMany("business_unit_" + table, "businessunit", table, "owningbusinessunit",
                    "owningbusinessunit", "business_unit_" + table, restrictDelete()));
        }
        for (String table : List.of("flowsessionbinary", "flowsession", "systemuser", "team", "businessunit")) {
            for (String audit : List.of("createdby", "modifiedby", "createdonbehalfby", "modifiedonbehalfby")) {
                relationships.add(oneToMany("lk_" + table + "_" + audit, "systemuser", table, audit, audit,
                        "lk_" + table + "_" + audit, CascadeConfiguration.noCascade()));
            }
        }
        relationships.add(oneToMany("business_unit_system_users", "businessunit", "systemuser", "businessunitid",
                "businessunitid", "business_unit_system_users", restrictDelete()));
        relationships.add(oneToMany("user_parent_user", "systemuser", "systemuser", "parentsystemuserid",
                "parentsystemuserid", "user_parent_user", CascadeConfiguration.noCascade()));
        relationships.add(oneToMany("business_unit_teams", "businessunit", "team", "businessunitid", "businessunitid",
                "business_unit_teams", restrictDelete()));
        relationships.add(oneToMany("lk_teambase_administratorid", "systemuser", "team", "administratorid",
                "administratorid", "lk_teambase_administratorid", CascadeConfiguration.noCascade()));
        relationships.add(oneToMany("business_unit_parent_business_unit", "businessunit", "businessunit",
                "parentbusinessunitid", "parentbusinessunitid", "business_unit_parent_business_unit",
                restrictDelete()));
        relationships.add(new RelationshipDefinition("teammembership_association", Kind.MANY_TO_MANY, "systemuser",
                "systemuserid", "team", "teamid", "teammembership_association", "teammembership_association",
                "teammembership", CascadeConfiguration.noCascade()));
        return relationships;
    }

    private static RelationshipDefinition oneToMany(String schemaName, String referenced, String referencing,
            String column, String referencingNavigation, @Nullable String referencedNavigation,
            CascadeConfiguration cascade) {
        return new RelationshipDefinition(schemaName, Kind.ONE_TO_MANY, referenced, referenced + "id", referencing,
                column, referencingNavigation, referencedNavigation, null, cascade);
    }

    private static CascadeConfiguration restrictDelete() {
        CascadeType none = CascadeType.NO_CASCADE;
        return new CascadeConfiguration(none, CascadeType.RESTRICT, CascadeType.RESTRICT, none, none, none, none, none);
    }

    private static TableDefinition table(String logicalName, String entitySetName, String displayName,
            OwnershipType ownership, String primaryName, List<ColumnDefinition> columns) {
        return new TableDefinition(logicalName, logicalName, entitySetName, entitySetName, displayName,
                displayName + "s", logicalName + "id", primaryName, ownership, "Standard", columns, MESSAGES);
    }

    private static List<ColumnDefinition> ownerColumns() {
        return List.of(
                column("ownerid", "OwnerId", AttributeType.OWNER, RequiredLevel.SYSTEM_REQUIRED, true, null, null,
                        null, null, List.of("systemuser", "team"), List.of(), null),
                readOnlyString("owneridname", "OwnerIdName", 100),
                readOnlyString("owneridyominame", "OwnerIdYomiName", 100),
                entityName("owneridtype", "OwnerIdType"),
                lookup("owninguser", "OwningUser", false, "systemuser"),
                lookup("owningteam", "OwningTeam", false, "team"),
                lookup("owningbusinessunit", "OwningBusinessUnit", false, "businessunit"));
    }

    private static List<ColumnDefinition> auditColumns() {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(dateTime("createdon", "CreatedOn", false, "UserLocal"));
        columns.add(dateTime("modifiedon", "ModifiedOn", false, "UserLocal"));
        for (String audit : List.of("createdby", "modifiedby", "createdonbehalfby", "modifiedonbehalfby")) {
            columns.add(lookup(audit, audit, false, "systemuser"));
            columns.add(readOnlyString(audit + "name", audit + "Name", 100));
        }
        return columns;
    }

    private static ColumnDefinition id(String logicalName, String schemaName) {
        return column(logicalName, schemaName, AttributeType.UNIQUEIDENTIFIER, RequiredLevel.SYSTEM_REQUIRED, true,
                null, null, null, null, List.of(), List.of(), null);
    }

    private static ColumnDefinition string(String logicalName, String schemaName, int maxLength,
            RequiredLevel required) {
        return column(logicalName, schemaName, AttributeType.STRING, required, true, maxLength, null, null, null,
                List.of(), List.of(), null);
    }

    private static ColumnDefinition readOnlyString(String logicalName, String schemaName, int maxLength) {
        return column(logicalName, schemaName, AttributeType.STRING, RequiredLevel.NONE, false, maxLength, null, null,
                null, List.of(), List.of(), null);
    }

    private static ColumnDefinition memo(String logicalName, String schemaName, int maxLength) {
        return column(logicalName, schemaName, AttributeType.MEMO, RequiredLevel.NONE, true, maxLength, null, null,
                null, List.of(), List.of(), null);
    }

    private static ColumnDefinition integer(String logicalName, String schemaName, int minValue) {
        return column(logicalName, schemaName, AttributeType.INTEGER, RequiredLevel.NONE, true, null,
                BigDecimal.valueOf(minValue), BigDecimal.valueOf(Integer.MAX_VALUE), null, List.of(), List.of(), null);
    }

    private static ColumnDefinition lookup(String logicalName, String schemaName, boolean writable, String target) {
        return column(logicalName, schemaName, AttributeType.LOOKUP, RequiredLevel.NONE, writable, null, null, null,
                null, List.of(target), List.of(), null);
    }

    private static ColumnDefinition entityName(String logicalName, String schemaName) {
        return column(logicalName, schemaName, AttributeType.ENTITYNAME, RequiredLevel.NONE, true, null, null, null,
                null, List.of(), List.of(), null);
    }

    private static ColumnDefinition file(String logicalName, String schemaName, int maxSizeInKb) {
        return new ColumnDefinition(logicalName, schemaName, schemaName, "", AttributeType.FILE, RequiredLevel.NONE,
                false, false, true, null, null, null, null, maxSizeInKb, List.of(), null, null, List.of(), null, null);
    }

    private static ColumnDefinition dateTime(String logicalName, String schemaName, boolean writable,
            String behavior) {
        return new ColumnDefinition(logicalName, schemaName, schemaName, "", AttributeType.DATETIME,
                RequiredLevel.NONE, writable, writable, true, null, null, null, null, null, List.of(),
                "DateOnly".equals(behavior) ? "DateOnly" : "DateAndTime", behavior, List.of(), null, null);
    }

    private static ColumnDefinition bool(String logicalName, String schemaName, String trueLabel,
            String falseLabel) {
        return column(logicalName, schemaName, AttributeType.BOOLEAN, RequiredLevel.NONE, true, null, null, null,
                null, List.of(), List.of(option(1, trueLabel, null), option(0, falseLabel, null)), 0);
    }

    private static ColumnDefinition state() {
        ChoiceOption active = new ChoiceOption(0, "Active", null, 1, "Active");
        ChoiceOption inactive = new ChoiceOption(1, "Inactive", null, 2, "Inactive");
        return column("statecode", "statecode", AttributeType.STATE, RequiredLevel.SYSTEM_REQUIRED, true, null, null,
                null, null, List.of(), List.of(active, inactive), 0);
    }

    private static ColumnDefinition status(ChoiceOption... options) {
        return column("statuscode", "statuscode", AttributeType.STATUS, RequiredLevel.NONE, true, null, null, null,
                null, List.of(), List.of(options), options[0].value());
    }

    private static ColumnDefinition choice(String logicalName, String schemaName, AttributeType type,
            RequiredLevel required, @Nullable Integer defaultValue, ChoiceOption... options) {
        return column(logicalName, schemaName, type, required, true, null, null, null, null, List.of(),
                List.of(options), defaultValue);
    }

    private static ChoiceOption option(int value, String label, @Nullable Integer state) {
        return new ChoiceOption(value, label, state, null, null);
    }

    private static ColumnDefinition versionNumber() {
        return column("versionnumber", "VersionNumber", AttributeType.BIGINT, RequiredLevel.NONE, false, null, null,
                null, null, List.of(), List.of(), null);
    }

    private static ColumnDefinition column(String logicalName, String schemaName, AttributeType type,
            RequiredLevel required, boolean writable, @Nullable Integer maxLength, @Nullable BigDecimal minValue,
            @Nullable BigDecimal maxValue, @Nullable Integer precision, List<String> targets,
            List<ChoiceOption> options, @Nullable Integer defaultValue) {
        return new ColumnDefinition(logicalName, schemaName, schemaName, "", type, required, writable, writable, true,
                maxLength, minValue, maxValue, precision, null, targets, null, null, options, defaultValue, null);
    }
}
