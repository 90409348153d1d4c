<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ChangeDocumentsDialog</name>
    <message numerus="yes">
        <source>%n change documents</source>
        <translation>
            <numerusform>%n change document</numerusform>
            <numerusform>%n change documents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lines</source>
        <translation>
            <numerusform>%n line</numerusform>
            <numerusform>%n lines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n lines copied</source>
        <translation>
            <numerusform>%n line copied</numerusform>
            <numerusform>%n lines copied</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerWizard</name>
    <message numerus="yes">
        <source>%n problem(s): click a message (or Ctrl+M, Enter) to go to its field</source>
        <translation>
            <numerusform>%n problem: click the message (or Ctrl+M, Enter) to go to its field</numerusform>
            <numerusform>%n problems: click a message (or Ctrl+M, Enter) to go to its field</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) on this screen</source>
        <translation>
            <numerusform>%n problem on this screen</numerusform>
            <numerusform>%n problems on this screen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeletionDialog</name>
    <message numerus="yes">
        <source>Delete %n customer(s) physically: {numbers}?</source>
        <translation>
            <numerusform>Delete %n customer physically: {numbers}?</numerusform>
            <numerusform>Delete %n customers physically: {numbers}?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n customer(s) found</source>
        <translation>
            <numerusform>%n customer found</numerusform>
            <numerusform>%n customers found</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) loaded</source>
        <translation>
            <numerusform>%n customer loaded</numerusform>
            <numerusform>%n customers loaded</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MassStatusDialog</name>
    <message numerus="yes">
        <source>%n customer(s) selected: </source>
        <translation>
            <numerusform>%n customer selected: </numerusform>
            <numerusform>%n customers selected: </numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsageDialog</name>
    <message numerus="yes">
        <source>Customer {number}: business in %n org unit(s)</source>
        <translation>
            <numerusform>Customer {number}: business in %n org unit</numerusform>
            <numerusform>Customer {number}: business in %n org units</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ValueHelpDialog</name>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entry</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
</context>
</TS>
